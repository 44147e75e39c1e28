// The tests make their fixtures with the real tools (gzip, bzip2, compress
// from Debian's ncompress, iconv); the decode bench also runs jq and base64. Before `npm test`, install the ones this
// machine lacks when we can (root with apt-get), else say exactly what to
// install: a missing tool must never make tests skip silently. The browser
// tests (test/browser/) drive Debian's chromium through playwright-core:
// nothing is downloaded by npm, the browser comes from the distribution.
import { spawnSync } from "node:child_process";

// jq (and coreutils' base64) make the shell pipeline bench/decode.ts compares `aidp-watch decode` with.
const TOOLS = {
  gzip: "gzip",
  bzip2: "bzip2",
  compress: "ncompress",
  iconv: "libc-bin",
  chromium: "chromium",
  jq: "jq",
  base64: "coreutils",
};
const has = (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const missing = Object.entries(TOOLS).filter(([tool]) => !has(tool));
if (missing.length > 0) {
  const packages = missing.map(([, pkg]) => pkg);
  const canApt = process.getuid?.() === 0 && has("apt-get");
  if (canApt) {
    process.stderr.write(`aidp-watch: installing fixture tools (${packages.join(", ")}) with apt-get…\n`);
    const install = () => spawnSync("apt-get", ["install", "-y", ...packages], { stdio: "ignore" }).status === 0;
    if (!install()) {
      spawnSync("apt-get", ["update"], { stdio: "ignore" });
      install();
    }
  }
  const still = missing.filter(([tool]) => !has(tool));
  if (still.length > 0) {
    process.stderr.write(
      `aidp-watch: the tests need ${still.map(([t]) => t).join(", ")}; install them first (Debian/Ubuntu: sudo apt-get install ${still.map(([, p]) => p).join(" ")})\n`,
    );
    process.exit(1);
  }
}

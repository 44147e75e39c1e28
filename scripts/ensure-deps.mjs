// Installs dependencies from the lockfile when they are missing or stale, so
// `npm test` and `npm start` work on a fresh clone, without reinstalling on
// every run (a plain `npm ci` pre-script would wipe node_modules each time).
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const marker = "node_modules/.package-lock.json";
const stale = !existsSync(marker) || statSync("package-lock.json").mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  process.stderr.write("aidp-watch: installing dependencies from package-lock.json (npm ci)…\n");
  execSync("npm ci --no-audit --no-fund --loglevel=error", { stdio: "inherit" });
}

// `npm run bench`: runs every benchmark in bench/ (each in its own process, one
// after another so they don't compete for the CPU), then gathers their result
// files into bench/results/summary.json. `npm run bench -- decode sweep` runs a subset.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const only = process.argv.slice(2);
const benches = readdirSync("bench")
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

const summary = { date: new Date().toISOString(), node: process.version, results: {}, failures: [] };
for (const name of benches) {
  process.stderr.write(`\n== bench ${name} ==\n`);
  const run = spawnSync(process.execPath, ["--import", "tsx", join("bench", `${name}.ts`)], { stdio: "inherit", env: { ...process.env, OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false" } });
  const file = join("bench", "results", `${name}.json`);
  if (run.status !== 0) summary.failures.push({ bench: name, status: run.status });
  if (existsSync(file)) summary.results[name] = JSON.parse(readFileSync(file, "utf8"));
}
writeFileSync(join("bench", "results", "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
process.stderr.write(`\nbench results: bench/results/summary.json (${benches.length} benches, ${summary.failures.length} failed)\n`);
process.exitCode = summary.failures.length > 0 ? 1 : 0;

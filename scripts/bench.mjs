// `npm run bench`: runs every benchmark (each in its own process, one
// after another so they don't compete for the CPU), then gathers their result
// files into bench/results/summary.json. `npm run bench -- decode sweep` runs a subset.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The benchmarks (bench/<name>.ts); other files in bench/ are their workers and fixtures.
const ALL = ["decode", "sweep", "scale", "export", "cold-start", "latency"];
const only = process.argv.slice(2);
const unknown = only.filter((n) => !ALL.includes(n));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(", ")}; choose from ${ALL.join(", ")}\n`);
  process.exit(2);
}
const benches = only.length === 0 ? ALL : only;

const summary = { date: new Date().toISOString(), node: process.version, results: {}, failures: [] };
for (const name of benches) {
  process.stderr.write(`\n== bench ${name} ==\n`);
  const run = spawnSync(process.execPath, ["--import", "tsx", join("bench", `${name}.ts`)], {
    stdio: "inherit",
    env: { ...process.env, OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false" },
  });
  if (run.status !== 0) summary.failures.push({ bench: name, status: run.status });
}
// The summary holds the latest result of every bench, including ones not rerun now.
for (const name of ALL) {
  const file = join("bench", "results", `${name}.json`);
  if (existsSync(file)) summary.results[name] = JSON.parse(readFileSync(file, "utf8"));
}
writeFileSync(join("bench", "results", "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
process.stderr.write(`\nbench results: bench/results/summary.json (${benches.length} benches, ${summary.failures.length} failed)\n`);
process.exitCode = summary.failures.length > 0 ? 1 : 0;

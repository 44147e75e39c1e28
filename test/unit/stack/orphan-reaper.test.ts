import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { claimDataDir, reapOrphans, recordRunning, releaseDataDir } from "../../../stack/orphan-reaper.js";

describe("orphan reaper", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "aidp-reaper-"));
    dirs.push(d);
    return d;
  };

  it.runIf(process.platform === "linux")(
    "ends a recorded function process that is still running and removes its socket folder",
    async () => {
      const dir = tmp();
      const entry = join(dir, "func.js");
      writeFileSync(entry, "setInterval(() => {}, 1000);");
      const child = spawn(process.execPath, [entry], { stdio: "ignore" });
      const exited = new Promise((r) => child.once("exit", r));
      const socketDir = join(dir, "poll-x");
      mkdirSync(socketDir);
      const file = join(dir, "run", "functions.json");
      recordRunning(file, [
        { pid: child.pid!, entry, socketDir },
        { pid: process.pid, entry: join(dir, "not-me.js"), socketDir: join(dir, "none") },
      ]);
      expect(reapOrphans(file)).toEqual([child.pid]);
      await exited;
      expect(existsSync(socketDir)).toBe(false);
      expect(existsSync(file)).toBe(false);
      expect(reapOrphans(file)).toEqual([]);
    },
  );

  it("lets one live stack hold a data folder", () => {
    const file = join(tmp(), "run", "stack.pid");
    expect(claimDataDir(file)).toBeUndefined();
    expect(claimDataDir(file)).toBeUndefined(); // our own claim
    writeFileSync(file, String(process.ppid));
    expect(claimDataDir(file)).toBe(process.ppid);
    writeFileSync(file, "999999999");
    expect(claimDataDir(file)).toBeUndefined(); // dead owner
    releaseDataDir(file);
    expect(existsSync(file)).toBe(false);
  });
});

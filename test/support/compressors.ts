import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { runTool } from "./require-tool.js";

/** Fixture makers backed by the real command-line tools (plus node zlib where noted). */
export const gzipCli = (data: Uint8Array): Buffer => runTool("gzip", ["-c", "-n"], data);
export const bzip2Cli = (data: Uint8Array, level = 9): Buffer => runTool("bzip2", ["-c", `-${level}`], data);
/** ncompress; `-b9` output is unreadable even by compress itself (docs/decoder-tools.md), so bits ≥ 10. */
export const compressCli = (data: Uint8Array, bits = 16): Buffer => {
  if (bits < 10) throw new Error("compress -b9 produces unreadable files; use 10..16");
  return runTool("compress", ["-c", "-f", `-b${bits}`], data, [0, 2]);
};
export const uncompressCli = (data: Uint8Array): Buffer => runTool("compress", ["-d", "-c"], data);
export const iconvCli = (text: string, to: string): Buffer => runTool("iconv", ["-f", "UTF-8", "-t", to], Buffer.from(text, "utf8"));

const PY_ZLIB = `import sys, zlib
data = sys.stdin.buffer.read()
wbits = int(sys.argv[1])
c = zlib.compressobj(9, zlib.DEFLATED, wbits)
sys.stdout.buffer.write(c.compress(data) + c.flush())`;
/** RFC 1950 (zlib-wrapped) deflate, made by Python's zlib. */
export const zlibWrappedPy = (data: Uint8Array): Buffer => runTool("python3", ["-c", PY_ZLIB, "15"], data);
/** RFC 1951 raw deflate, made by Python's zlib. */
export const deflateRawPy = (data: Uint8Array): Buffer => runTool("python3", ["-c", PY_ZLIB, "-15"], data);

// In-process encoders for property tests (thousands of runs; spawning a tool each time is too slow).
export const gzipNode = (data: Uint8Array): Buffer => gzipSync(data);
export const zlibWrappedNode = (data: Uint8Array): Buffer => deflateSync(data);
export const deflateRawNode = (data: Uint8Array): Buffer => deflateRawSync(data);

/**
 * Deterministic, text-like bytes (CSV-ish telemetry) for fixtures and benches:
 * compressible like real task output, reproducible from a seed.
 */
export function textLike(size: number, seed = 1): Buffer {
  let state = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  const words = ["cpu", "mem", "disk", "net", "ok", "warn", "error", "node", "job", "stage", "task", "spark", "executor", "shuffle"];
  const out = Buffer.allocUnsafe(size + 256);
  let pos = 0;
  let line = 0;
  while (pos < size) {
    const s = `${1_700_000_000 + line * 7},${words[Math.floor(rand() * words.length)]},${words[Math.floor(rand() * words.length)]}-${Math.floor(rand() * 64)},${(rand() * 100).toFixed(3)},${Math.floor(rand() * 100000)}\n`;
    pos += out.write(s, pos, "latin1");
    line++;
  }
  return out.subarray(0, size);
}

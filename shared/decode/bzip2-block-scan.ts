/**
 * Finding bzip2 block starts without decoding (for the parallel decoder).
 *
 * Every bzip2 block begins with the 48-bit magic 0x314159265359 (BCD π) and
 * the end of a stream with 0x177245385090 (√π); neither is byte-aligned after
 * the first block. A candidate is any bit offset where the block magic
 * appears. Some candidates can be false (the pattern inside compressed data);
 * the decoder rejects them by following the chain of real block ends (a real
 * block starts exactly where the previous one ended, and its CRC must match),
 * the same idea lbzip2 uses.
 *
 * Search: for each of the 8 bit shifts, the magic shifted by s bits covers
 * some bytes completely; those bytes are located with the native
 * `Buffer.indexOf`, and every hit is then checked on all 48 bits. Eight native
 * scans over the input instead of a JS loop over every bit.
 */
export const BLOCK_MAGIC = 0x314159265359;
export const END_OF_STREAM_MAGIC = 0x177245385090;
const MAGIC_BITS = 48;
const TWO_32 = 2 ** 32;

/** Reads `n` ≤ 48 bits MSB-first starting at bit `bitPos`; undefined if the input ends first. */
export function readBits(bytes: Uint8Array, bitPos: number, n: number): number | undefined {
  if (bitPos + n > bytes.length * 8) return undefined;
  let value = 0;
  let pos = bitPos;
  let left = n;
  while (left > 0) {
    const byte = bytes[pos >>> 3]!;
    const offset = pos & 7;
    const take = Math.min(8 - offset, left);
    const bits = (byte >>> (8 - offset - take)) & ((1 << take) - 1);
    value = value * (1 << take) + bits; // multiply, not shift: values above 2^31 stay exact
    pos += take;
    left -= take;
  }
  return value;
}

/** The bytes the magic occupies completely when it starts `shift` bits into a byte. */
function fullBytes(shift: number): { skip: number; pattern: Buffer } {
  // The magic's 48 bits sit at bit offsets [shift, shift + 48) of a 7-byte window.
  const hi = Math.floor(BLOCK_MAGIC / TWO_32); // top 16 bits
  const lo = BLOCK_MAGIC % TWO_32;
  const window = new Uint8Array(7);
  for (let b = 0; b < MAGIC_BITS; b++) {
    const bit = b < 16 ? (hi >>> (15 - b)) & 1 : (lo >>> (31 - (b - 16))) & 1;
    const at = shift + b;
    window[at >>> 3]! |= bit << (7 - (at & 7));
  }
  // Bytes 1..5 are always full; byte 0 too when the magic is byte-aligned. Byte 6 is partial (or unused).
  const first = shift === 0 ? 0 : 1;
  return { skip: first, pattern: Buffer.from(window.subarray(first, 6)) };
}

const PATTERNS = Array.from({ length: 8 }, (_, s) => fullBytes(s));

/** Bit offsets of every occurrence of the block magic in `bytes`, ascending. */
export function findBlockMagics(bytes: Uint8Array): number[] {
  const hay = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let shift = 0; shift < 8; shift++) {
    const { skip, pattern } = PATTERNS[shift]!;
    for (let i = hay.indexOf(pattern); i >= 0; i = hay.indexOf(pattern, i + 1)) {
      const bitPos = (i - skip) * 8 + shift;
      if (bitPos >= 0 && readBits(bytes, bitPos, MAGIC_BITS) === BLOCK_MAGIC) found.push(bitPos);
    }
  }
  return found.sort((a, b) => a - b);
}

/**
 * Test-only Unix `compress` (.Z) encoder, to round-trip random data through
 * our decoder (property tests) and to cross-check against `compress -d`.
 * It mirrors compress(1)'s output format:
 *
 * - header 1f 9d, flags = maxBits | 0x80 (block mode);
 * - codes LSB-first; the width grows once `freeEnt > maxCode` after a code is
 *   written, and on a width change or a CLEAR the rest of the current group of
 *   8 codes (= n_bits bytes) is padded with zero bits, as compress does;
 * - `clearWhenFull`: when the table is full, emit CLEAR (256) and start over
 *   (compress does this when the ratio drops; any moment is valid).
 */
export interface LzwEncodeOptions {
  maxBits?: number; // 10..16
  clearWhenFull?: boolean;
}

export function lzwEncode(data: Uint8Array, options: LzwEncodeOptions = {}): Buffer {
  const maxBits = options.maxBits ?? 16;
  const clearWhenFull = options.clearWhenFull ?? true;
  if (maxBits < 10 || maxBits > 16) throw new RangeError("maxBits must be 10..16");
  const maxMax = 1 << maxBits;
  const out: number[] = [0x1f, 0x9d, maxBits | 0x80];
  let bitBuf = 0;
  let bitCnt = 0;
  let nBits = 9;
  let maxCode = (1 << nBits) - 1;
  let codesInGroup = 0;
  let freeEnt = 257;
  let dict = new Map<number, number>();

  const writeBits = (code: number, n: number) => {
    bitBuf |= code << bitCnt;
    bitCnt += n;
    while (bitCnt >= 8) {
      out.push(bitBuf & 0xff);
      bitBuf >>>= 8;
      bitCnt -= 8;
    }
  };
  const padGroup = () => {
    const rem = codesInGroup % 8;
    if (rem !== 0) for (let k = rem; k < 8; k++) writeBits(0, nBits);
    codesInGroup = 0;
  };
  const output = (code: number, clear = false) => {
    writeBits(code, nBits);
    codesInGroup++;
    if (clear) {
      padGroup();
      nBits = 9;
      maxCode = (1 << nBits) - 1;
    } else if (freeEnt > maxCode && nBits < maxBits) {
      padGroup();
      nBits++;
      maxCode = nBits === maxBits ? maxMax : (1 << nBits) - 1;
    }
  };

  if (data.length === 0) return Buffer.from(out);
  let ent = data[0]!;
  for (let i = 1; i < data.length; i++) {
    const c = data[i]!;
    const key = (ent << 8) | c;
    const found = dict.get(key);
    if (found !== undefined) {
      ent = found;
      continue;
    }
    output(ent);
    ent = c;
    if (freeEnt < maxMax) {
      dict.set(key, freeEnt++);
    } else if (clearWhenFull) {
      dict = new Map();
      freeEnt = 257;
      output(256, true);
    }
  }
  output(ent);
  if (bitCnt > 0) out.push(bitBuf & 0xff);
  return Buffer.from(out);
}

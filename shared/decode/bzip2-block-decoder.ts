/**
 * Decodes ONE bzip2 block that starts at a given bit offset (the 48-bit block
 * magic). Used on worker threads by the parallel decoder and on the calling
 * thread for small inputs (bzip2-stream.ts); pure, no I/O.
 *
 * Why our own decoder: on this project's 50 MB benchmark the available ones
 * were far slower than `bzip2 -dc` (1.8 s): seek-bzip 5.6 s, libbzip2 built to
 * WebAssembly (@foxglove/wasm-bz2) 4.9 s, compressjs 3.4 s (one thread, 50 MB;
 * docs/decoder-tools.md). Two workers at those speeds cannot beat the shell
 * pipeline. The format is the one bzip2 1.0.8's `decompress.c` reads (linked
 * from docs/decoder-tools.md).
 *
 * Stages, as in bzip2's `BZ2_decompress` "fast" path:
 * 1. header: block CRC, randomised bit (unsupported: bzip2 ≥ 0.9.5 never sets
 *    it), origPtr, the map of bytes in use, the Huffman groups and selectors;
 * 2. Huffman + RUNA/RUNB + move-to-front into `tt` (one byte per entry). Each
 *    symbol is found with one lookup of the next LOOKUP_BITS bits; only codes
 *    longer than that walk the canonical code lengths;
 * 3. inverse BWT: `tt[i]` gets the index of its successor in its high 24 bits;
 * 4. the walk from origPtr undoes the initial run-length coding (4 equal bytes
 *    and a count) and computes the block CRC as it writes.
 *
 * `tt` (3.6 MB for a level-9 block) is kept by the decoder and reused, so a
 * worker allocates only each block's output, which it transfers away.
 *
 * `maxBytes` caps the output: a block that would produce more stops there and
 * reports `over-budget`, so a bomb costs no more memory here than the limit.
 */

export type BlockResult =
  | { kind: "ok"; data: Uint8Array; endBit: number; crc: number; bwtBytes: number }
  | { kind: "over-budget"; produced: number };

/** The input ended inside the block. */
export class BlockInputEnded extends Error {
  constructor() {
    super("bzip2 input ended inside a block");
  }
}

/** The block is not valid bzip2 (a false block-magic match, or corrupt data). */
export class BlockCorrupt extends Error {}

const MAX_BLOCK = 900_000; // level 9
const MAX_GROUPS = 6;
const MAX_ALPHA = 258;
const MAX_CODE_BITS = 20;
const MAX_SELECTORS = 18_002; // bzip2 1.0.8 reads more, and ignores those past this
const GROUP_SIZE = 50;
/** Bits resolved by one table lookup (1 KiB entries per group: stays in L1 next to the other hot arrays). */
const LOOKUP_BITS = 10;

/** bzip2's CRC-32: polynomial 0x04c11db7, most significant bit first. */
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c;
  }
  return t;
})();

/** One group's canonical Huffman code, as a lookup table plus what the long codes need. */
class HuffmanGroup {
  /** Next LOOKUP_BITS bits → (symbol << 5) | length; 0 where the code is longer. */
  readonly lookup = new Int32Array(1 << LOOKUP_BITS);
  /** Per length: first code, how many codes, and where their symbols start in `symbols`. */
  readonly first = new Int32Array(MAX_CODE_BITS + 2);
  readonly count = new Int32Array(MAX_CODE_BITS + 2);
  readonly offset = new Int32Array(MAX_CODE_BITS + 2);
  readonly symbols = new Uint16Array(MAX_ALPHA);
  maxLen = 0;

  /** Builds the code from each symbol's length (1..20); throws if the lengths over-subscribe the code space. */
  build(lengths: Uint8Array, alphaSize: number): void {
    const { lookup, first, count, offset, symbols } = this;
    count.fill(0);
    lookup.fill(0);
    let maxLen = 0;
    for (let s = 0; s < alphaSize; s++) {
      const len = lengths[s]!;
      count[len]!++;
      if (len > maxLen) maxLen = len;
    }
    this.maxLen = maxLen;
    let code = 0;
    let at = 0;
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      first[len] = code;
      offset[len] = at;
      code += count[len]!;
      at += count[len]!;
      // More codes of this length than the space left: not a prefix code.
      if (code > 1 << len) throw new BlockCorrupt("invalid Huffman code lengths");
      code <<= 1;
    }
    // Symbols in canonical order: by length, then by symbol value (as bzip2 assigns codes).
    const next = new Int32Array(MAX_CODE_BITS + 1);
    for (let len = 1; len <= MAX_CODE_BITS; len++) next[len] = offset[len]!;
    for (let s = 0; s < alphaSize; s++) symbols[next[lengths[s]!]!++] = s;
    for (let len = 1; len <= Math.min(maxLen, LOOKUP_BITS); len++) {
      const shift = LOOKUP_BITS - len;
      for (let k = 0; k < count[len]!; k++) {
        const entry = (symbols[offset[len]! + k]! << 5) | len;
        const from = (first[len]! + k) << shift;
        lookup.fill(entry, from, from + (1 << shift));
      }
    }
  }
}

/** MSB-first bit reader over the whole input. Past the end it reads zeros; `ended` tells the caller. */
class BitReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  get ended(): boolean {
    return this.pos > this.bytes.length * 8;
  }

  /** Reads n ≤ 24 bits. */
  bits(n: number): number {
    const { bytes, pos } = this;
    const p = pos >>> 3;
    const w = ((bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!) << (pos & 7);
    this.pos = pos + n;
    return w >>> (32 - n);
  }

  /** An error at the current position: the input ended if we read past it, else corrupt data. */
  fail(message: string): never {
    throw this.ended ? new BlockInputEnded() : new BlockCorrupt(message);
  }
}

/** What the block header says, and the state the symbol decoding starts from. */
interface BlockHeader {
  storedCrc: number;
  origPtr: number;
  /** The move-to-front list, initially the bytes in use in ascending order. */
  mtf: Uint8Array;
  inUse: number;
  nSelectors: number;
}

export class Bzip2BlockDecoder {
  private tt = new Uint32Array(0);
  private readonly groups = Array.from({ length: MAX_GROUPS }, () => new HuffmanGroup());
  private readonly selectors = new Uint8Array(MAX_SELECTORS);
  private readonly lengths = new Uint8Array(MAX_ALPHA);
  private readonly byteCount = new Int32Array(256);

  /** Decodes the block whose magic starts at bit `bitPos` of `bytes`. Throws BlockCorrupt or BlockInputEnded. */
  decodeAt(bytes: Uint8Array, bitPos: number, maxBytes: number): BlockResult {
    const reader = new BitReader(bytes, bitPos);
    const header = this.readHeader(reader);
    if (this.tt.length < MAX_BLOCK) this.tt = new Uint32Array(MAX_BLOCK);
    const n = this.readSymbols(reader, header);
    if (reader.ended) throw new BlockInputEnded();
    const endBit = reader.pos;
    if (header.origPtr >= n) reader.fail("origPtr outside the block");
    this.inverseBwt(n);
    const walked = walk(this.tt, n, header.origPtr, maxBytes);
    if (walked.kind === "over-budget") return walked;
    if (walked.crc !== header.storedCrc) reader.fail("block CRC mismatch");
    return { kind: "ok", data: walked.data, endBit, crc: walked.crc, bwtBytes: n };
  }

  private readHeader(r: BitReader): BlockHeader {
    if (r.bits(24) !== 0x314159 || r.bits(24) !== 0x265359) r.fail("no block magic at this position");
    const storedCrc = ((r.bits(16) << 16) | r.bits(16)) >>> 0;
    if (r.bits(1)) r.fail("randomised blocks (bzip2 before 0.9.5) are not supported");
    const origPtr = r.bits(24);

    // Bytes in use: 16 ranges of 16, each listed only if its bit in the first 16 is set.
    const mtf = new Uint8Array(256);
    let inUse = 0;
    const ranges = r.bits(16);
    for (let g = 0; g < 16; g++) {
      if (!(ranges & (0x8000 >>> g))) continue;
      const used = r.bits(16);
      for (let j = 0; j < 16; j++) if (used & (0x8000 >>> j)) mtf[inUse++] = g * 16 + j;
    }
    if (inUse === 0) r.fail("no bytes in use");
    const alphaSize = inUse + 2;

    const nGroups = r.bits(3);
    if (nGroups < 2 || nGroups > MAX_GROUPS) r.fail(`invalid number of Huffman groups ${nGroups}`);
    const nSelectors = r.bits(15);
    if (nSelectors < 1) r.fail("no selectors");
    // Selectors are move-to-front coded group numbers, each in unary.
    const { selectors, lengths, groups } = this;
    const groupMtf = [0, 1, 2, 3, 4, 5];
    for (let i = 0; i < nSelectors; i++) {
      let j = 0;
      while (r.bits(1)) {
        if (++j >= nGroups) r.fail("invalid selector");
      }
      const g = groupMtf[j]!;
      for (; j > 0; j--) groupMtf[j] = groupMtf[j - 1]!;
      groupMtf[0] = g;
      if (i < MAX_SELECTORS) selectors[i] = g;
    }

    // Code lengths: a 5-bit start, then per symbol a delta coded as 1x (x: 0 = +1, 1 = -1), ended by a 0.
    for (let g = 0; g < nGroups; g++) {
      let len = r.bits(5);
      for (let s = 0; s < alphaSize; s++) {
        for (;;) {
          if (len < 1 || len > MAX_CODE_BITS) r.fail("invalid Huffman code length");
          if (!r.bits(1)) break;
          len += r.bits(1) ? -1 : 1;
        }
        lengths[s] = len;
      }
      if (r.ended) throw new BlockInputEnded();
      groups[g]!.build(lengths, alphaSize);
    }
    return { storedCrc, origPtr, mtf, inUse, nSelectors: Math.min(nSelectors, MAX_SELECTORS) };
  }

  /** Huffman → RUNA/RUNB → move-to-front, into tt (one byte per entry); returns the block size. */
  private readSymbols(r: BitReader, header: BlockHeader): number {
    const { tt, groups, selectors, byteCount } = this;
    const { mtf, nSelectors } = header;
    const bytes = r.bytes;
    const eob = header.inUse + 1;
    byteCount.fill(0);
    let pos = r.pos; // a local, not the reader's field: this loop runs once per symbol
    let n = 0;
    let run = 0; // pending RUNA/RUNB run length of the front byte
    let runBit = 1;
    let selector = 0;
    let left = 0;
    let group = groups[0]!;
    let lookup = group.lookup;
    for (;;) {
      if (left === 0) {
        if (selector >= nSelectors) failAt(r, pos, "more symbols than selectors");
        group = groups[selectors[selector++]!]!;
        lookup = group.lookup;
        left = GROUP_SIZE;
      }
      left--;
      // The next 25 or more bits; one lookup resolves codes up to LOOKUP_BITS long.
      const p = pos >>> 3;
      const w = ((bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!) << (pos & 7);
      const entry = lookup[w >>> (32 - LOOKUP_BITS)]!;
      let sym: number;
      if (entry !== 0) {
        sym = entry >>> 5;
        pos += entry & 31;
      } else {
        sym = longCode(group, w >>> (32 - MAX_CODE_BITS));
        if (sym < 0) failAt(r, pos, "invalid Huffman code");
        pos += sym >>> 16;
        sym &= 0xffff;
      }

      if (sym <= 1) {
        // RUNA (0) / RUNB (1): the run length in bijective base 2, least significant digit first.
        run += runBit << sym;
        runBit <<= 1;
        if (run > MAX_BLOCK) failAt(r, pos, "run longer than a block");
        continue;
      }
      if (run > 0) {
        if (n + run > MAX_BLOCK) failAt(r, pos, "block larger than 900 kB");
        const b = mtf[0]!;
        byteCount[b]! += run;
        tt.fill(b, n, n + run);
        n += run;
        run = 0;
        runBit = 1;
      }
      if (sym === eob) break;
      if (n >= MAX_BLOCK) failAt(r, pos, "block larger than 900 kB");
      // Move-to-front: symbol s stands for the byte at position s - 1.
      let k = sym - 1;
      const b = mtf[k]!;
      for (; k > 0; k--) mtf[k] = mtf[k - 1]!;
      mtf[0] = b;
      byteCount[b]!++;
      tt[n++] = b;
    }
    r.pos = pos;
    return n;
  }

  /** Inverse BWT: each entry gets the index of its successor in its high 24 bits. */
  private inverseBwt(n: number): void {
    const { tt, byteCount } = this;
    const next = new Int32Array(256);
    for (let b = 0, sum = 0; b < 256; b++) {
      next[b] = sum;
      sum += byteCount[b]!;
    }
    for (let i = 0; i < n; i++) {
      const b = tt[i]! & 0xff;
      tt[next[b]!++]! |= i << 8;
    }
  }
}

/** Fails at `pos` (the symbol loop keeps its position in a local, not in the reader; no closure over it either). */
function failAt(r: BitReader, pos: number, message: string): never {
  r.pos = pos;
  return r.fail(message);
}

/** A code longer than LOOKUP_BITS: (length << 16) | symbol, or -1 if `peek` (the next 20 bits) starts no code. */
function longCode(group: HuffmanGroup, peek: number): number {
  for (let len = LOOKUP_BITS + 1; len <= group.maxLen; len++) {
    const k = (peek >>> (MAX_CODE_BITS - len)) - group.first[len]!;
    if (k >= 0 && k < group.count[len]!) return (len << 16) | group.symbols[group.offset[len]! + k]!;
  }
  return -1;
}

type Walked = { kind: "ok"; data: Uint8Array; crc: number } | { kind: "over-budget"; produced: number };

/** Follows the chain from origPtr, undoes the initial run-length coding and computes the block CRC. */
function walk(tt: Uint32Array, n: number, origPtr: number, maxBytes: number): Walked {
  let cap = Math.min(maxBytes, n + (n >>> 3) + 64);
  let out = new Uint8Array(cap);
  let o = 0;
  let crc = -1;
  let last = -1;
  let same = 0; // how many times `last` was just written in a row
  let t = tt[origPtr]! >>> 8;
  for (let i = 0; i < n; i++) {
    const e = tt[t]!;
    t = e >>> 8;
    const b = e & 0xff;
    if (same === 4) {
      // After four equal bytes, this byte is how many more of them follow.
      same = 0;
      if (o + b > cap) {
        if (o + b > maxBytes) return { kind: "over-budget", produced: o + b };
        out = grow(out, o + b, maxBytes);
        cap = out.length;
      }
      for (let k = 0; k < b; k++) {
        out[o++] = last;
        crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ last) & 0xff]!;
      }
      continue;
    }
    if (b === last) same++;
    else {
      last = b;
      same = 1;
    }
    if (o === cap) {
      if (o + 1 > maxBytes) return { kind: "over-budget", produced: o + 1 };
      out = grow(out, o + 1, maxBytes);
      cap = out.length;
    }
    out[o++] = b;
    crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!;
  }
  // Trim when much of the buffer is unused: it is what travels to the main thread and waits to be written.
  const data = cap - o > cap >>> 3 ? out.slice(0, o) : out.subarray(0, o);
  return { kind: "ok", data, crc: ~crc >>> 0 };
}

/**
 * Runs `walk` once over a tiny chain that takes every branch (a run count, growing the buffer, the budget).
 * Without it, V8 optimises `walk` on plain text, where run counts are rare, then throws the optimised code away
 * each time a branch it never saw is taken (`--trace-deopt`: ~20 deoptimisations of `walk` in a first decode, 2
 * with it). A first decode of 50 MB of text on one thread, 8 alternating runs: median 2.36 s with, 2.54 s without.
 */
function primeWalk(): void {
  const seq = [1, 1, 1, 1, 200, 2, 2, 2, 2, 0, 3];
  const tt = new Uint32Array(seq.length + 1);
  for (let i = 0; i < seq.length; i++) tt[i] = seq[i]! | ((i + 1) << 8);
  tt[seq.length] = 0; // origPtr: its successor is entry 0
  walk(tt, seq.length, seq.length, 1 << 20);
  walk(tt, seq.length, seq.length, 10);
}
primeWalk();

function grow(out: Uint8Array<ArrayBuffer>, needed: number, maxBytes: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.min(maxBytes, Math.max(needed, out.length * 2)));
  next.set(out);
  return next;
}

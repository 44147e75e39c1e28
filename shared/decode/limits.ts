/**
 * Decompression-bomb guard. Both limits are checked on every output slice a
 * codec produces, so decoding stops as soon as a limit is crossed rather than
 * after the whole payload sits in memory.
 */
import { Transform, type TransformCallback } from "node:stream";
import { DecodeLimitError } from "./errors.js";

export interface DecodeLimits {
  /** Maximum size of a decoded part, in bytes (after decompression and after transcoding). */
  maxDecodedBytes: number;
  /** Maximum decompressed/compressed size ratio. */
  maxExpansionRatio: number;
  /**
   * The ratio limit only applies once this many bytes were produced: tiny
   * payloads (a 40-byte gzip of 100 KB of spaces) have huge ratios and are harmless.
   */
  ratioGraceBytes: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = Object.freeze({
  maxDecodedBytes: 512 * 1024 * 1024,
  // Real text/CSV/JSON output compresses 5–50×, bzip2 on very repetitive logs a
  // few hundred ×; bombs are in the 1000–1,000,000× range.
  maxExpansionRatio: 1000,
  ratioGraceBytes: 16 * 1024 * 1024,
});

export function resolveLimits(partial: Partial<DecodeLimits> | undefined): DecodeLimits {
  const limits = { ...DEFAULT_DECODE_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!(typeof value === "number" && value >= 0 && !Number.isNaN(value))) {
      throw new RangeError(`decode limit ${name} must be a non-negative number, got ${String(value)}`);
    }
  }
  return limits;
}

/** Counts decompressed bytes against the limits; `add` throws `DecodeLimitError`. */
export class LimitGuard {
  private produced = 0;

  constructor(
    readonly limits: DecodeLimits,
    /** Size of the compressed input (known up front from the base64 length). */
    private readonly compressedBytes: number,
  ) {}

  get bytes(): number {
    return this.produced;
  }

  /**
   * How many more bytes may be produced before `add` throws. For codecs that
   * decode ahead of the guard (parallel bzip2): no single piece may exceed it.
   */
  remaining(): number {
    const { maxDecodedBytes, maxExpansionRatio, ratioGraceBytes } = this.limits;
    const ratioCap = Math.max(ratioGraceBytes, maxExpansionRatio * Math.max(1, this.compressedBytes));
    return Math.max(0, Math.min(maxDecodedBytes, ratioCap) - this.produced);
  }

  add(n: number): void {
    this.produced += n;
    checkSize(this.produced, this.limits);
    const { maxExpansionRatio, ratioGraceBytes } = this.limits;
    if (this.produced > ratioGraceBytes && this.produced > maxExpansionRatio * Math.max(1, this.compressedBytes)) {
      throw new DecodeLimitError(
        `expansion ratio exceeds maxExpansionRatio ${maxExpansionRatio} (${this.produced} bytes from ${this.compressedBytes} compressed bytes); decoding aborted`,
        {
          context: {
            limit: "maxExpansionRatio",
            limitValue: maxExpansionRatio,
            producedBytes: this.produced,
            compressedBytes: this.compressedBytes,
          },
        },
      );
    }
  }

  /** A pass-through stage that counts (for codecs that emit through a Node stream, e.g. zlib). */
  transform(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, cb: TransformCallback) => {
        try {
          this.add(chunk.length);
          cb(null, chunk);
        } catch (err) {
          cb(err as Error);
        }
      },
    });
  }
}

export function checkSize(bytes: number, limits: DecodeLimits): void {
  if (bytes > limits.maxDecodedBytes) {
    throw new DecodeLimitError(`decoded size exceeds maxDecodedBytes ${limits.maxDecodedBytes}; decoding aborted`, {
      context: { limit: "maxDecodedBytes", limitValue: limits.maxDecodedBytes, producedBytes: bytes },
    });
  }
}

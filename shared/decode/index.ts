// Public surface of the decode module (pure: no OCI SDK, no I/O beyond streams).
export { decodePart, decodePartToStream } from "./decode-part.js";
export type { DecodablePart, DecodedPart, DecodedPartInfo, DecodeOptions, DecodeStream } from "./decode-part.js";
export * from "./errors.js";
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from "./limits.js";
export * from "./run-output-schema.js";
export type { DecodeWarning, DecodeWarningCode } from "./warnings.js";

/**
 * Non-fatal findings about a decoded part. They travel with the result (and
 * into the CLI manifest / archive metadata) instead of failing the part: the
 * bytes are still the best faithful rendering we can produce.
 */
export type DecodeWarningCode =
  | "UNKNOWN_TYPE"
  | "UNKNOWN_CHARSET_IGNORED"
  | "LENGTH_MISMATCH"
  | "LENGTH_UNPARSEABLE"
  | "MAGIC_MISMATCH"
  | "EMPTY_COMPRESSED_PAYLOAD"
  | "DEFLATE_GZIP_WRAPPED"
  | "BZIP2_TRAILING_GARBAGE"
  | "BINARY_STRING_VALUE"
  | "BINARY_TYPE_AS_TEXT"
  | "LONE_SURROGATE_IN_VALUE"
  | "UTF16_NO_BOM"
  | "UTF16_ODD_LENGTH"
  | "UTF16_UNPAIRED_SURROGATE"
  | "INVALID_UTF8";

export interface DecodeWarning {
  code: DecodeWarningCode;
  message: string;
}

export type WarningSink = (warning: DecodeWarning) => void;

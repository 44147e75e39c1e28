/**
 * `aidp-watch decode <file | -> --out <dir>`: decodes every part of a
 * RunOutputData, an array of them, or a whole TaskRunOutput into
 * `<dir>/<index>-<type>.<ext>` and prints one JSON manifest on stdout.
 *
 * A failing part doesn't stop the others; it is listed in `errors` (and on its
 * entry in `parts`) and the exit status is 1. Bad usage exits 2. Each file is
 * written to a temp name and renamed only after its part decoded completely,
 * so a file that exists is always whole.
 */
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { mkdir, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import { FetchedRunOutputDataSchema } from "../../shared/aidp/fetched-output-schema.js";
import { decodePartToStream } from "../../shared/decode/decode-part.js";
import { contentKindOf } from "../../shared/decode/content-types.js";
import { DecodeError } from "../../shared/decode/errors.js";
import { parseJsonFileWithLargeStrings, parseJsonWithLargeStrings } from "../../shared/decode/large-string-json.js";
import type { DecodeWarning } from "../../shared/decode/warnings.js";
import { parseCommandLine, parseOrUsage, UsageError } from "../command-line.js";
import { syncFileSink } from "../sync-file-sink.js";

const USAGE = "usage: aidp-watch decode <file | -> --out <dir>";

const ArgsSchema = z.object({
  input: z.string().min(1),
  out: z.string().min(1, "--out <dir> is required"),
});

// The envelope is parsed loosely and each part on its own, so one malformed part is one error, not a rejected file.
const EnvelopeSchema = z.object({
  data: z.array(z.unknown()),
  isTruncated: z.boolean().nullish(),
});

interface ManifestPart {
  index: number;
  file: string | null;
  type: string | null;
  contentType: string | null;
  bytes: number | null;
  sha256: string | null;
  warnings: DecodeWarning[];
  error?: { message: string; code: string };
}

interface ManifestError {
  index: number;
  error: string;
  code: string;
}

export async function runDecode(args: string[], io: { stdin: Readable; stdout: Writable; stderr: Writable }): Promise<number> {
  let parsedArgs: z.infer<typeof ArgsSchema>;
  try {
    const { values, positionals, help } = parseCommandLine(args, { out: { type: "string", short: "o" } });
    if (help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one input (a file or -), got ${positionals.length}`);
    parsedArgs = parseOrUsage(ArgsSchema, { input: positionals[0], out: values.out ?? "" });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`aidp-watch decode: ${err.message}\n${USAGE}\n`);
    return 2;
  }

  let rawParts: unknown[];
  let isTruncated = false;
  let input: InputFile | undefined;
  try {
    // Parsed keeping long base64 values out of JS strings (large-string-json.ts). A named file is read in pieces
    // and its long values stay in the file (FileAsciiText): the decoders read them slice by slice, so the
    // response is never held whole (first touches of fresh memory were most of the cost of reading it at once).
    // Standard input is read whole, as bytes, and its long values are kept as those bytes.
    let json: unknown;
    if (parsedArgs.input === "-") {
      json = parseJsonWithLargeStrings(await readStdin(io.stdin));
    } else {
      input = openInput(parsedArgs.input);
      json = parseJsonFileWithLargeStrings(input.fd);
    }
    if (Array.isArray(json)) {
      rawParts = json;
    } else if (typeof json === "object" && json !== null && "data" in json) {
      const envelope = EnvelopeSchema.parse(json);
      rawParts = envelope.data;
      isTruncated = envelope.isTruncated ?? false;
    } else {
      rawParts = [json];
    }
    await mkdir(parsedArgs.out, { recursive: true });
  } catch (err) {
    if (input) closeSync(input.fd);
    io.stderr.write(`aidp-watch decode: cannot read input ${parsedArgs.input}: ${describeError(err)}\n`);
    return 1;
  }

  const parts: ManifestPart[] = [];
  const errors: ManifestError[] = [];
  for (const [index, raw] of rawParts.entries()) {
    try {
      parts.push(await decodeOne(raw, index, parsedArgs.out, input));
    } catch (err) {
      const code = err instanceof DecodeError ? err.code : "INVALID_PART";
      const message = err instanceof z.core.$ZodError ? `invalid RunOutputData: ${z.prettifyError(err)}` : describeError(err);
      const type = typeof raw === "object" && raw !== null && "type" in raw && typeof raw.type === "string" ? raw.type : null;
      errors.push({ index, error: message, code });
      parts.push({ index, file: null, type, contentType: null, bytes: null, sha256: null, warnings: [], error: { message, code } });
    }
  }
  if (input) closeSync(input.fd);
  io.stdout.write(`${JSON.stringify({ parts, isTruncated, errors }, null, 2)}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** The named input file, open while its parts decode, and what it looked like when it was parsed. */
interface InputFile {
  fd: number;
  size: number;
  mtimeMs: number;
}

function openInput(path: string): InputFile {
  const fd = openSync(path, "r");
  try {
    const { size, mtimeMs } = fstatSync(fd);
    return { fd, size, mtimeMs };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Long values are read from the file while they decode: a file rewritten meanwhile would mix two documents.
 * Checked before each part's file is put in place, so such a part is an error, never a file.
 */
function checkUnchanged(input: InputFile): void {
  const { size, mtimeMs } = fstatSync(input.fd);
  if (size !== input.size || mtimeMs !== input.mtimeMs) {
    throw new DecodeError("the input file changed while it was being decoded", { context: { size, was: input.size } });
  }
}

async function decodeOne(raw: unknown, index: number, outDir: string, input: InputFile | undefined): Promise<ManifestPart> {
  // A long value read as `AsciiText` is kept as is, validated as the string it stands for (as fetchOutput's are).
  const part = FetchedRunOutputDataSchema.parse(raw);
  const file = `${index}-${safeName(part.type.toLowerCase())}${contentKindOf(part.type).kind.extension}`;
  const target = join(outDir, file);
  const temp = join(outDir, `.${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const { stream, result } = decodePartToStream(part, { partIndex: index });
  // Written on this thread, chunk by chunk (cli/sync-file-sink.ts): no output piles up waiting for the thread pool.
  const sink = syncFileSink(temp);
  try {
    await pipeline(stream, sink);
    const info = await result;
    if (input) checkUnchanged(input);
    await rename(temp, target);
    return { index, file, type: info.type, contentType: info.contentType, bytes: info.bytes, sha256: info.sha256, warnings: info.warnings };
  } catch (err) {
    // pipeline rejects as soon as the part fails, possibly before the sink has
    // even opened its file: unlinking then would run first and leave the temp
    // file behind once the open completes. Wait for the sink to close.
    if (!sink.closed) await once(sink, "close").catch(() => {});
    await unlink(temp).catch(() => {});
    // Prefer the typed decode error over the stream's view of the same failure.
    throw await result.then(
      () => err,
      (decodeErr: unknown) => decodeErr,
    );
  }
}

function safeName(s: string): string {
  return s.replace(/[^a-z0-9_.-]/g, "_");
}

/**
 * Standard input redirected from a file (`decode - < r.json`) is read like a named file, in one read from the
 * current offset; a pipe or a terminal chunk by chunk (64 KiB chunks, then joined: twice the document's size
 * for a moment, and ~0.15 s more for a 25 MB response).
 */
async function readStdin(stdin: Readable): Promise<Buffer> {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd === "number" && fstatSync(fd).isFile()) return readFileSync(fd);
  return readAll(stdin);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

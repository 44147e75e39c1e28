/**
 * Task-run output parts in every form the decoder must handle: each type,
 * each compression (GZIP; DEFLATE both zlib-wrapped and raw; COMPRESS (.Z);
 * BZIP2), each charset (UTF_8; UTF_16 little-endian with BOM and big-endian
 * without), base64 for everything binary or compressed. BZIP2, .Z, PNG, JPEG
 * and PDF bytes come from real tools (fixtures/make-fixtures.sh); gzip and
 * deflate from Node's zlib.
 *
 * `length` is set to the payload size in bytes after base64 and
 * decompression, before charset decoding (our reading of `length`: docs/aidp-api.md,
 * "Task runs and job runs").
 */
import { createHash } from "node:crypto";
import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { readFixture } from "./fixture-files.js";
import type { RunOutputData } from "./seeds.js";

export interface SampleExpectation {
  /** Media type of the decoded content (no parameters). */
  readonly contentType: string;
  /**
   * sha256 (hex) of the decoded content: for text types the UTF-8 encoding of
   * the text (any BOM removed), for binary types the bytes themselves.
   */
  readonly sha256: string;
  /** Decoded content size in bytes (same basis as `sha256`). */
  readonly size: number;
  /** sha256 (hex) of the payload after base64 + decompression, before charset decoding. */
  readonly payloadSha256: string;
  /** The decoded text, for text types. */
  readonly text: string | undefined;
  /** The suggested file extension for the decoded content. */
  readonly extension: string;
}

export interface SampleOutput {
  /** Stable, unique name, e.g. `text-plain-utf16le-bom`. */
  readonly name: string;
  readonly description: string;
  readonly part: RunOutputData;
  readonly expected: SampleExpectation;
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const PLAIN_TEXT = "Hello from AIDP ✓ — résumé, naïve, 日本語 and 📈\nSecond line\n";
const UTF16_TEXT = "UTF-16 output: Grüße aus Zürich — 価格 📊 done\n";
const HTML = `<table class="dataframe"><thead><tr><th>region</th><th>count</th></tr></thead>
<tbody><tr><td>EMEA</td><td>42100</td></tr><tr><td>APAC</td><td>39800</td></tr><tr><td>AMER</td><td>46500</td></tr></tbody></table>
<p>3 rows &mdash; ünïcödé ✓</p>
`;
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
<rect x="5" y="30" width="20" height="30" fill="#1f6fb4"/><rect x="35" y="10" width="20" height="50" fill="#1f6fb4"/>
<rect x="65" y="20" width="20" height="40" fill="#1f6fb4"/><text x="95" y="55" font-size="10">Q3 ✓</text>
</svg>
`;
const JSON_TEXT = `${JSON.stringify(
  { table: "sales.q3.orders", rows: 128400, regions: { EMEA: 42100, APAC: 39800, AMER: 46500 }, note: "café ✓" },
  null,
  2,
)}\n`;
const SMALL_NOTEBOOK = `${JSON.stringify(
  {
    cells: [
      {
        cell_type: "code",
        execution_count: 1,
        metadata: {},
        source: ["print('hi')"],
        outputs: [{ output_type: "stream", name: "stdout", text: ["hi\n"] }],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  },
  null,
  1,
)}\n`;
const FILE_PATH = "/Workspace/Users/demo@example.com/exports/orders_q3.csv";
const NOTEBOOK_PATH = "/Workspace/Users/demo@example.com/notebooks/quarterly_orders.ipynb";

function utf16le(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, "utf16le");
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

function utf16be(text: string): Buffer {
  const b = Buffer.from(text, "utf16le");
  b.swap16();
  return b;
}

interface Spec {
  name: string;
  description: string;
  type: string;
  contentType: string;
  extension: string;
  /** Payload bytes (after decompression, before charset decoding). */
  payload: Buffer;
  /** Text content for text types. */
  text?: string;
  charset?: "UTF_8" | "UTF_16";
  compression?: string;
  /** The compressed bytes (for COMPRESS/BZIP2 these come from fixtures). */
  compressed?: Buffer;
  /** Send the value as base64. @default true */
  base64?: boolean;
}

function specs(): Spec[] {
  const notebook = readFixture("notebook.ipynb");
  const csv = readFixture("rows.csv");
  const utf8 = (s: string) => Buffer.from(s, "utf8");
  return [
    {
      name: "text-plain-utf8",
      description: "TEXT_PLAIN, UTF_8, plain string",
      type: "TEXT_PLAIN",
      contentType: "text/plain",
      extension: "txt",
      payload: utf8(PLAIN_TEXT),
      text: PLAIN_TEXT,
      charset: "UTF_8",
      base64: false,
    },
    {
      name: "text-plain-utf16le-bom",
      description: "TEXT_PLAIN, UTF_16 little-endian with BOM, base64",
      type: "TEXT_PLAIN",
      contentType: "text/plain",
      extension: "txt",
      payload: utf16le(UTF16_TEXT, true),
      text: UTF16_TEXT,
      charset: "UTF_16",
    },
    {
      name: "text-plain-utf16be",
      description: "TEXT_PLAIN, UTF_16 big-endian without BOM, base64",
      type: "TEXT_PLAIN",
      contentType: "text/plain",
      extension: "txt",
      payload: utf16be(UTF16_TEXT),
      text: UTF16_TEXT,
      charset: "UTF_16",
    },
    {
      name: "text-plain-utf16le-gzip",
      description: "TEXT_PLAIN, UTF_16 LE with BOM, GZIP, base64 (decompress before charset)",
      type: "TEXT_PLAIN",
      contentType: "text/plain",
      extension: "txt",
      payload: utf16le(UTF16_TEXT, true),
      text: UTF16_TEXT,
      charset: "UTF_16",
      compression: "GZIP",
      compressed: gzipSync(utf16le(UTF16_TEXT, true)),
    },
    {
      name: "text-html-gzip",
      description: "TEXT_HTML, UTF_8, GZIP, base64",
      type: "TEXT_HTML",
      contentType: "text/html",
      extension: "html",
      payload: utf8(HTML),
      text: HTML,
      charset: "UTF_8",
      compression: "GZIP",
      compressed: gzipSync(utf8(HTML)),
    },
    {
      name: "application-json-deflate-zlib",
      description: "APPLICATION_JSON, UTF_8, DEFLATE with zlib wrapper (RFC 1950), base64",
      type: "APPLICATION_JSON",
      contentType: "application/json",
      extension: "json",
      payload: utf8(JSON_TEXT),
      text: JSON_TEXT,
      charset: "UTF_8",
      compression: "DEFLATE",
      compressed: deflateSync(utf8(JSON_TEXT)),
    },
    {
      name: "image-svg-deflate-raw",
      description: "IMAGE_SVG, UTF_8, raw DEFLATE (RFC 1951, no wrapper), base64",
      type: "IMAGE_SVG",
      contentType: "image/svg+xml",
      extension: "svg",
      payload: utf8(SVG),
      text: SVG,
      charset: "UTF_8",
      compression: "DEFLATE",
      compressed: deflateRawSync(utf8(SVG)),
    },
    {
      name: "notebook-bzip2",
      description: "NOTEBOOK (.ipynb JSON), UTF_8, BZIP2 (bzip2 -9), base64",
      type: "NOTEBOOK",
      contentType: "application/x-ipynb+json",
      extension: "ipynb",
      payload: notebook,
      text: notebook.toString("utf8"),
      charset: "UTF_8",
      compression: "BZIP2",
      compressed: readFixture("notebook.ipynb.bz2"),
    },
    {
      name: "notebook-plain",
      description: "NOTEBOOK (.ipynb JSON), UTF_8, plain string",
      type: "NOTEBOOK",
      contentType: "application/x-ipynb+json",
      extension: "ipynb",
      payload: utf8(SMALL_NOTEBOOK),
      text: SMALL_NOTEBOOK,
      charset: "UTF_8",
      base64: false,
    },
    {
      name: "text-plain-compress",
      description: "TEXT_PLAIN (CSV), UTF_8, COMPRESS (.Z, compress -b 16), base64",
      type: "TEXT_PLAIN",
      contentType: "text/plain",
      extension: "txt",
      payload: csv,
      text: csv.toString("utf8"),
      charset: "UTF_8",
      compression: "COMPRESS",
      compressed: readFixture("rows.csv.Z"),
    },
    {
      name: "image-png",
      description: "IMAGE_PNG, base64",
      type: "IMAGE_PNG",
      contentType: "image/png",
      extension: "png",
      payload: readFixture("chart.png"),
    },
    {
      name: "image-jpeg",
      description: "IMAGE_JPEG (libjpeg-turbo), base64",
      type: "IMAGE_JPEG",
      contentType: "image/jpeg",
      extension: "jpg",
      payload: readFixture("tiny.jpg"),
    },
    {
      name: "application-pdf",
      description: "APPLICATION_PDF (one page), base64",
      type: "APPLICATION_PDF",
      contentType: "application/pdf",
      extension: "pdf",
      payload: readFixture("report.pdf"),
    },
    {
      name: "file-path",
      description: "FILE_PATH, plain string",
      type: "FILE_PATH",
      contentType: "text/plain",
      extension: "txt",
      payload: utf8(FILE_PATH),
      text: FILE_PATH,
      charset: "UTF_8",
      base64: false,
    },
    {
      name: "notebook-path",
      description: "NOTEBOOK_PATH, plain string",
      type: "NOTEBOOK_PATH",
      contentType: "text/plain",
      extension: "txt",
      payload: utf8(NOTEBOOK_PATH),
      text: NOTEBOOK_PATH,
      charset: "UTF_8",
      base64: false,
    },
  ];
}

function toSample(s: Spec): SampleOutput {
  const wire = s.compressed ?? s.payload;
  const base64 = s.base64 ?? true;
  const part: RunOutputData = {
    type: s.type,
    length: String(s.payload.length),
    ...(s.charset ? { charset: s.charset } : {}),
    isBase64: base64,
    ...(s.compression ? { compression: s.compression } : {}),
    value: base64 ? wire.toString("base64") : wire.toString("utf8"),
  };
  const decoded = s.text === undefined ? s.payload : Buffer.from(s.text, "utf8");
  return {
    name: s.name,
    description: s.description,
    part,
    expected: {
      contentType: s.contentType,
      sha256: sha256(decoded),
      size: decoded.length,
      payloadSha256: sha256(s.payload),
      text: s.text,
      extension: s.extension,
    },
  };
}

let cache: SampleOutput[] | undefined;

/** Every sample part with what a correct decoder must produce from it. */
export function sampleOutputsWithExpectations(): SampleOutput[] {
  cache ??= specs().map(toSample);
  return cache.map((s) => ({ ...s, part: { ...s.part } }));
}

/** Every sample part, encoded exactly as the API returns `RunOutputData`. */
export function sampleOutputs(): RunOutputData[] {
  return sampleOutputsWithExpectations().map((s) => s.part);
}

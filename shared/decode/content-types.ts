/**
 * What each `RunOutputData.type` becomes in the archive: MIME type, file
 * extension, and whether its bytes are text (transcoded to UTF-8 per
 * `charset`) or binary (kept byte for byte). Path references are text: they
 * are a path string, not the file itself.
 */
import { isKnown } from "../schema/open-enum.js";
import { RUN_OUTPUT_TYPES, type RunOutputType } from "./run-output-schema.js";

export interface ContentKind {
  contentType: string;
  extension: string;
  text: boolean;
}

const KINDS: Record<RunOutputType, ContentKind> = {
  TEXT_PLAIN: { contentType: "text/plain; charset=utf-8", extension: ".txt", text: true },
  NOTEBOOK: { contentType: "application/x-ipynb+json", extension: ".ipynb", text: true },
  TEXT_HTML: { contentType: "text/html; charset=utf-8", extension: ".html", text: true },
  IMAGE_PNG: { contentType: "image/png", extension: ".png", text: false },
  IMAGE_SVG: { contentType: "image/svg+xml", extension: ".svg", text: true },
  IMAGE_JPEG: { contentType: "image/jpeg", extension: ".jpg", text: false },
  APPLICATION_PDF: { contentType: "application/pdf", extension: ".pdf", text: false },
  APPLICATION_JSON: { contentType: "application/json", extension: ".json", text: true },
  FILE_PATH: { contentType: "text/plain; charset=utf-8", extension: ".txt", text: true },
  NOTEBOOK_PATH: { contentType: "text/plain; charset=utf-8", extension: ".txt", text: true },
};

/** Unknown (future) types are archived as opaque bytes. */
export const UNKNOWN_KIND: ContentKind = { contentType: "application/octet-stream", extension: ".bin", text: false };

export function contentKindOf(type: string): { kind: ContentKind; known: boolean } {
  return isKnown(RUN_OUTPUT_TYPES, type) ? { kind: KINDS[type], known: true } : { kind: UNKNOWN_KIND, known: false };
}

/**
 * Signature checks for the binary types, so a part labelled IMAGE_PNG that is
 * really an error page (or was decoded with the wrong codec) is flagged.
 * A mismatch is a warning: the bytes are archived as received.
 */
export const MAGIC_HEAD_BYTES = 1024;

interface Signature {
  name: string;
  matches(head: Uint8Array): boolean;
}

const startsWith = (head: Uint8Array, sig: readonly number[]) => sig.every((b, i) => head[i] === b);

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const JPEG = [0xff, 0xd8, 0xff] as const;

const SIGNATURES: Record<string, Signature> = {
  IMAGE_PNG: { name: "PNG (89 50 4E 47 0D 0A 1A 0A)", matches: (h) => startsWith(h, PNG) },
  IMAGE_JPEG: { name: "JPEG (FF D8 FF)", matches: (h) => startsWith(h, JPEG) },
  // PDF readers accept the header anywhere in the first 1024 bytes (ISO 32000 implementation note).
  APPLICATION_PDF: {
    name: "PDF (%PDF-)",
    matches: (h) => Buffer.from(h.buffer, h.byteOffset, h.byteLength).indexOf("%PDF-") !== -1,
  },
};

/** `undefined` when the type has no signature or `head` (first ≤ 1024 bytes) matches; else a message. */
export function checkMagic(type: string, head: Uint8Array): string | undefined {
  const sig = SIGNATURES[type];
  if (!sig || sig.matches(head)) return undefined;
  const shown = Buffer.from(head.subarray(0, 8)).toString("hex").replace(/(..)/g, "$1 ").trim();
  return `${type} payload does not start with the ${sig.name} signature (starts with: ${shown || "nothing, it is empty"})`;
}

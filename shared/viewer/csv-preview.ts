/**
 * CSV/TSV detection and a bounded preview for the archive viewer. A
 * `TEXT_PLAIN` part is shown as a table when its first lines split into the
 * same number (≥ 2) of fields on one delimiter; RFC 4180 quoting ("a,b",
 * doubled quotes, newlines inside quotes) is honoured. Only the first
 * `maxRows` rows are kept, but every row is counted.
 */
export interface CsvPreview {
  readonly delimiter: "," | "\t" | ";";
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Data rows in the whole text (header excluded). */
  readonly rowCount: number;
}

const DELIMITERS = [",", "\t", ";"] as const;
const SAMPLE_ROWS = 5;

/** Splits CSV text into records; calls `onRecord` for each (no array of the whole file is built). */
function forEachRecord(text: string, delimiter: string, onRecord: (fields: string[]) => boolean): void {
  let field = "";
  let fields: string[] = [];
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      if (!onRecord(fields)) return;
      fields = [];
      field = "";
    } else field += c;
    i++;
  }
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    onRecord(fields);
  }
}

function sample(text: string, delimiter: string): number[] {
  const widths: number[] = [];
  forEachRecord(text.slice(0, 64 * 1024), delimiter, (f) => {
    widths.push(f.length);
    return widths.length < SAMPLE_ROWS;
  });
  return widths;
}

/** The delimiter when `text` looks like a table, else `undefined`. */
export function detectDelimiter(text: string): CsvPreview["delimiter"] | undefined {
  for (const d of DELIMITERS) {
    const widths = sample(text, d);
    if (widths.length >= 2 && (widths[0] ?? 0) >= 2 && widths.every((w) => w === widths[0])) return d;
  }
  return undefined;
}

export function csvPreview(text: string, maxRows: number): CsvPreview | undefined {
  const delimiter = detectDelimiter(text);
  if (delimiter === undefined) return undefined;
  let header: string[] | undefined;
  const rows: string[][] = [];
  let rowCount = 0;
  forEachRecord(text, delimiter, (fields) => {
    if (header === undefined) header = fields;
    else if (!(fields.length === 1 && fields[0] === "")) {
      rowCount++;
      if (rows.length < maxRows) rows.push(fields);
    }
    return true;
  });
  return { delimiter, header: header ?? [], rows, rowCount };
}

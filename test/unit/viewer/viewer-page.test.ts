import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildManifest, type Manifest, type ManifestPart } from "../../../shared/export/manifest.js";
import { csvPreview } from "../../../shared/viewer/csv-preview.js";
import { siblingHref } from "../../../shared/viewer/html-text.js";
import { notebookHtml } from "../../../shared/viewer/notebook-view.js";
import { type EmbeddedContent, renderViewer, VIEWER_CSP } from "../../../shared/viewer/viewer-page.js";

const SHA = "a".repeat(64);
const HOSTILE = `"'><script>alert(1)</script><img src=x onerror=alert(2)><iframe src="https://evil.example/"></iframe>&amp;`;

// The only tags and attributes the viewer's own template uses. Escaped content
// never contains "<", so any other tag (or an on* attribute) in the output
// would be markup injected from a part, a name or a message.
const TAGS = new Set(
  "html head meta title style body main p a h1 h2 dl dt dd code pre div strong ul ol li span nav section figure img object iframe table thead tbody tr th td".split(
    " ",
  ),
);
const ATTRS = new Set(
  "lang charset http-equiv content name href id class role aria-label aria-labelledby tabindex title sandbox srcdoc referrerpolicy alt src type data download scope".split(
    " ",
  ),
);

function tagsOf(html: string): Array<{ name: string; attrs: string[] }> {
  const out: Array<{ name: string; attrs: string[] }> = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attrs = [...(m[2] ?? "").matchAll(/\s+([^\s=>]+)(?:="[^"]*")?/g)].map((a) => (a[1] ?? "").toLowerCase());
    out.push({ name: (m[1] ?? "").toLowerCase(), attrs });
  }
  return out;
}

function expectOnlyOwnMarkup(html: string): void {
  // Every "<" in the page starts one of the template's tags (or a closing tag / doctype).
  const opens = html.split("<").length - 1;
  const own = tagsOf(html).length + [...html.matchAll(/<\/[a-z0-9]+>/g)].length + [...html.matchAll(/<!DOCTYPE html>/g)].length;
  expect(own).toBe(opens);
  for (const t of tagsOf(html)) {
    expect(TAGS.has(t.name), `tag <${t.name}>`).toBe(true);
    for (const a of t.attrs) expect(ATTRS.has(a), `attribute ${a} on <${t.name}>`).toBe(true);
  }
  for (const t of tagsOf(html).filter((t) => t.name === "iframe")) expect(t.attrs).toContain("sandbox");
  expect(html).not.toMatch(/<script/i);
}

function manifest(parts: ManifestPart[], over: Partial<Parameters<typeof buildManifest>[0]> = {}): Manifest {
  return buildManifest({
    platformId: "ocid1.aidataplatform.oc1.iad.test",
    workspaceKey: "ws-demo",
    taskRunKey: "tr-1",
    jobRunKey: "jr-1",
    taskRunName: "train",
    taskRunStatus: "SUCCESS",
    outputKey: "out-1",
    output: { version: 2, taskType: "NOTEBOOK_TASK", isTruncated: false },
    parts,
    exportedAtMs: Date.UTC(2026, 11, 4, 12),
    ...over,
  });
}

function archived(index: number, type: string, body: Buffer, name = `000-${type.toLowerCase()}.bin`): [ManifestPart, EmbeddedContent] {
  return [
    {
      index,
      type,
      status: "archived",
      object: `outputs/p/ws/tr/out/v2/${name}`,
      contentType: "text/plain; charset=utf-8",
      bytes: body.length,
      sha256: SHA,
      declaredLength: null,
      compression: "GZIP",
      charset: "UTF_8",
      isBase64: true,
      warnings: [],
    },
    { body },
  ];
}

function page(
  entries: Array<[ManifestPart, EmbeddedContent]>,
  over: Partial<Parameters<typeof buildManifest>[0]> = {},
  renderings: Parameters<typeof renderViewer>[0]["renderings"] = [],
) {
  return renderViewer({
    manifest: manifest(
      entries.map((e) => e[0]),
      over,
    ),
    contents: new Map(entries.map(([p, c]) => [p.index, c])),
    renderings,
  });
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

describe("archive viewer (pure renderer)", () => {
  it("shows each part by type: image inline, CSV table with row count, JSON pretty, HTML sandboxed, SVG as <img>", () => {
    const csv = `id,name,amount\n${Array.from({ length: 250 }, (_, i) => `${i},"n, ${i}",${i * 2}`).join("\n")}\n`;
    const html = page([
      archived(0, "IMAGE_PNG", PNG, "000-image_png.png"),
      archived(1, "TEXT_PLAIN", Buffer.from(csv), "001-text_plain.txt"),
      archived(2, "APPLICATION_JSON", Buffer.from('{"a":[1,2]}'), "002-application_json.json"),
      archived(3, "TEXT_HTML", Buffer.from("<h1>hi</h1><script>alert(1)</script>"), "003-text_html.html"),
      archived(4, "IMAGE_SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "004-image_svg.svg"),
    ]);
    expect(html).toContain(`src="data:image/png;base64,${PNG.toString("base64")}"`);
    expect(html).toContain("<strong>250 rows</strong> (CSV, 3 columns); showing the first 100");
    expect(html).toContain("<td>n, 7</td>");
    expect(html).toContain('href="./001-text_plain.txt"');
    expect(html).toContain("{\n  &quot;a&quot;: [\n    1,\n    2\n  ]\n}");
    expect(html).toContain('sandbox="" referrerpolicy="no-referrer"');
    expect(html).toContain('srcdoc="&lt;h1&gt;hi&lt;/h1&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toMatch(/<img class="part-img" alt="[^"]*" src="data:image\/svg\+xml;base64,/);
    expect(html).not.toContain("<svg");
    expect(html).toContain(SHA);
    expectOnlyOwnMarkup(html);
  });

  it("forbids every fetch with a CSP meta tag: styles inline, images as data URIs", () => {
    const html = page([archived(0, "TEXT_PLAIN", Buffer.from("x"))]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${VIEWER_CSP}">`);
    expect(VIEWER_CSP).toMatch(/default-src 'none'/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("shows the truncation flag, decode errors with the raw value's link, warnings, and the run's identity", () => {
    const [ok] = archived(0, "TEXT_PLAIN", Buffer.from("hello"));
    const warned: ManifestPart = { ...ok, warnings: [{ code: "LENGTH_MISMATCH", message: "declared 9, got 5" }] } as ManifestPart;
    const failed: ManifestPart = {
      index: 1,
      type: "IMAGE_PNG",
      status: "failed",
      error: { name: "InvalidBase64Error", code: "INVALID_BASE64", message: "bad char at 3" },
      undecoded: { object: "outputs/p/ws/tr/out/v2/001-image_png.undecoded", bytes: 2, sha256: SHA },
      declaredLength: null,
      compression: null,
      charset: null,
      isBase64: true,
      warnings: [],
    };
    const html = renderViewer({
      manifest: manifest([warned, failed], {
        output: { version: 2, taskType: "PYTHON_TASK", isTruncated: true, errorTrace: "Traceback: boom" },
      }),
      contents: new Map([[0, { body: Buffer.from("hello") }]]),
      renderings: [],
    });
    expect(html).toContain("<strong>Truncated.</strong>");
    expect(html).toContain("<dt>truncated</dt><dd>yes</dd>");
    expect(html).toContain("INVALID_BASE64");
    expect(html).toContain('href="./001-image_png.undecoded"');
    expect(html).toContain("LENGTH_MISMATCH");
    expect(html).toContain("Traceback: boom");
    for (const v of ["jr-1", "ws-demo", "ocid1.aidataplatform.oc1.iad.test", "2026-12-04T12:00:00.000Z", "train (tr-1)"])
      expect(html).toContain(v);
    expect(html).toContain("1 of 2 parts could not be decoded");
  });

  it("links parts it did not embed, saying why", () => {
    const [p] = archived(0, "TEXT_PLAIN", Buffer.alloc(0), "000-text_plain.txt");
    const html = renderViewer({
      manifest: manifest([p]),
      contents: new Map([[0, { omitted: "Too large to embed (9 bytes)." }]]),
      renderings: [],
    });
    expect(html).toContain('Too large to embed (9 bytes). <a href="./000-text_plain.txt">open the full part</a>');
  });

  it("shows AIDP's own renderings (HTML sandboxed, IPYNB rendered) or why there is none", () => {
    const nb = JSON.stringify({
      cells: [
        {
          cell_type: "code",
          execution_count: 1,
          source: ["print(1)"],
          outputs: [{ output_type: "stream", name: "stdout", text: ["1\n"] }],
        },
      ],
    });
    const html = page([archived(0, "TEXT_PLAIN", Buffer.from("x"))], {}, [
      { format: "HTML", object: "o/v2/aidp-rendering.html", content: "<p>rendered</p>" },
      { format: "IPYNB", object: "o/v2/aidp-rendering.ipynb", content: nb },
      { format: "HTML", error: "ServiceError: 500 <b>boom</b>" },
    ]);
    expect(html).toContain('srcdoc="&lt;p&gt;rendered&lt;/p&gt;"');
    expect(html).toContain("In [1]:");
    expect(html).toContain("print(1)");
    expect(html).toContain("Not available: ServiceError: 500 &lt;b&gt;boom&lt;/b&gt;");
    expectOnlyOwnMarkup(html);
  });

  it("hostile names, types, messages and contents render as text, never as markup", () => {
    const nb = JSON.stringify({
      cells: [
        { cell_type: "markdown", source: HOSTILE },
        {
          cell_type: "code",
          source: HOSTILE,
          outputs: [
            { output_type: "display_data", data: { "image/png": `"><script>alert(1)</script>` } },
            { output_type: "display_data", data: { "text/html": HOSTILE } },
            { output_type: "error", ename: HOSTILE, evalue: HOSTILE, traceback: [HOSTILE] },
          ],
        },
      ],
    });
    const bad = (i: number, type: string, body: string): [ManifestPart, EmbeddedContent] => {
      const [p, c] = archived(i, type, Buffer.from(body), `${String(i).padStart(3, "0")}-x.txt`);
      return [
        {
          ...p,
          object: `outputs/p/ws/tr/out/v2/${HOSTILE}`,
          contentType: HOSTILE,
          warnings: [{ code: HOSTILE, message: HOSTILE }],
        } as ManifestPart,
        c,
      ];
    };
    const html = page(
      [
        bad(0, "TEXT_PLAIN", HOSTILE),
        bad(1, "TEXT_PLAIN", `a,b\n${HOSTILE},${HOSTILE}\n`),
        bad(2, "APPLICATION_JSON", JSON.stringify({ [HOSTILE]: HOSTILE })),
        bad(3, "TEXT_HTML", HOSTILE),
        bad(4, "NOTEBOOK", nb),
        bad(5, HOSTILE, HOSTILE),
        bad(6, "IMAGE_SVG", HOSTILE),
      ],
      {
        taskRunName: HOSTILE,
        outputKey: HOSTILE,
        workspaceKey: HOSTILE,
        output: {
          version: 1,
          taskType: HOSTILE,
          isTruncated: true,
          errorTrace: HOSTILE,
          outputParameters: [{ name: HOSTILE, value: HOSTILE }],
        },
      },
      [{ format: "HTML", content: HOSTILE, object: HOSTILE }],
    );
    expectOnlyOwnMarkup(html);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // The notebook's "image" that is not base64 is dropped, not pasted into src.
    expect(html).not.toContain('src="data:image/png;base64,&quot;');
  });

  it("property: any strings anywhere produce only the template's own markup", () => {
    const text = fc.string({ unit: fc.constantFrom("<", ">", '"', "'", "&", "/", "=", " ", "a", "s", "\n", ",", "\u2028", "é") });
    fc.assert(
      fc.property(text, text, text, text, (name, body, msg, key) => {
        const [p, c] = archived(0, "TEXT_PLAIN", Buffer.from(body));
        const part = { ...p, object: `o/${name}`, warnings: [{ code: msg, message: msg }] } as ManifestPart;
        const [h, hc] = archived(1, "TEXT_HTML", Buffer.from(body));
        const html = renderViewer({
          manifest: manifest([part, h], { taskRunName: name, outputKey: key }),
          contents: new Map([
            [0, c],
            [1, hc],
          ]),
          renderings: [{ format: "HTML", error: msg }],
        });
        expectOnlyOwnMarkup(html);
      }),
      { numRuns: 300 },
    );
  });
});

describe("viewer helpers", () => {
  it("sibling links can't become another URL", () => {
    expect(siblingHref("a/b/javascript:alert(1)")).toBe("./javascript%3Aalert(1)");
    expect(siblingHref("a/b/x?y#z")).toBe("./x%3Fy%23z");
  });

  it("CSV preview honours quotes and counts every row", () => {
    const p = csvPreview('h1,h2\n"a,1","say ""hi"""\n"multi\nline",2\n', 10);
    expect(p?.rows).toEqual([
      ["a,1", 'say "hi"'],
      ["multi\nline", "2"],
    ]);
    expect(p?.rowCount).toBe(2);
    expect(csvPreview("just a sentence, with a comma\nand another line", 10)).toBeUndefined();
    expect(csvPreview("a\tb\n1\t2\n", 10)?.delimiter).toBe("\t");
  });

  it("a notebook that isn't one is left to the text view", () => {
    expect(notebookHtml("not json")).toBeUndefined();
    expect(notebookHtml('{"cells":"no"}')).toBeUndefined();
  });
});

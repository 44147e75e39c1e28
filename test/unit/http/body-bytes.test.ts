import { PassThrough } from "node:stream";
import minipassFetch from "minipass-fetch";
import { describe, expect, it } from "vitest";
import { bodyBytes } from "../../../shared/http/transport.js";

// bodyBytes on minipass-fetch's own Response over a stream (no network): the
// body is copied into one buffer of its Content-Length, and a body that
// disagrees with that length is an error, never a short or overrun document.

function response(chunks: readonly string[], headers: Record<string, string>) {
  const body = new PassThrough();
  for (const c of chunks) body.write(c);
  body.end();
  return new minipassFetch.Response(body, { headers });
}

describe("bodyBytes", () => {
  it("reads a body of several chunks into one buffer of its Content-Length", async () => {
    const chunks = ['{"a":', '"', "x".repeat(70_000), '"}'];
    const whole = chunks.join("");
    const bytes = await bodyBytes(response(chunks, { "content-length": String(whole.length) }));
    expect(bytes.toString("latin1")).toBe(whole);
    expect(bytes.length).toBe(whole.length);
  });

  it("reads a body without Content-Length (chunked) whole", async () => {
    expect((await bodyBytes(response(["{}", " ", "\n"], {}))).toString()).toBe("{} \n");
  });

  it("a body longer than its Content-Length is an error, not an overrun", async () => {
    await expect(bodyBytes(response(['{"a":1}', "extra"], { "content-length": "7" }))).rejects.toMatchObject({
      code: "BODY_LENGTH_MISMATCH",
      message: expect.stringMatching(/longer than its Content-Length \(7 bytes\)/),
    });
  });

  it("a body shorter than its Content-Length is an error, never a short document", async () => {
    await expect(bodyBytes(response(['{"a":'], { "content-length": "100" }))).rejects.toMatchObject({
      code: "BODY_LENGTH_MISMATCH",
      message: expect.stringMatching(/ended after 5 of its 100 bytes/),
    });
  });

  it("does not trust a Content-Length that is not a plain number", async () => {
    expect((await bodyBytes(response(["{}"], { "content-length": "1e3" }))).toString()).toBe("{}");
  });
});

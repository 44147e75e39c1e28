import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AidpWatchError } from "../../../shared/errors/aidp-watch-error.js";
import { createLogger } from "../../../shared/log/logger.js";
import { MemorySink } from "../../support/memory-log-sink.js";
import { REDACTED, redact, redactString } from "../../../shared/log/redact.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ res_tenant: "t", exp: 1 })).toString("base64url")}.c2lnbmF0dXJlc2lnbmF0dXJl`;

describe("logger", () => {
  it("is quiet by default: info is dropped, warn is written as one JSON line", () => {
    const sink = new MemorySink();
    const log = createLogger({ sink }).child({ function: "poll", fnCallId: "01ABC" });
    log.info("hello");
    log.warn("careful", { operation: "getAsyncOperation", opcRequestId: "R1", durationMs: 12 });
    expect(sink.lines).toHaveLength(1);
    expect(sink.records()[0]).toMatchObject({
      level: "warn",
      message: "careful",
      function: "poll",
      fnCallId: "01ABC",
      opcRequestId: "R1",
      durationMs: 12,
    });
  });

  it("never writes private keys, RPST tokens, signatures or environment dumps", () => {
    const sink = new MemorySink();
    const log = createLogger({ sink, level: "debug" });
    log.error(`failed with key ${pem}`, {
      config: { PATH: "/bin", HOME: "/root", OCI_RESOURCE_PRINCIPAL_RPST: jwt },
      headers: { authorization: 'Signature version="1",keyId="ST$abc",signature="xyz"' },
      privateKey: pem,
      passphrase: "hunter2",
      detail: `token ${jwt} keyId ST$${jwt}`,
      error: new AidpWatchError(`bad ${pem}`, { context: { operation: "x" } }),
    });
    const out = sink.lines.join("\n");
    expect(out).not.toContain("PRIVATE KEY");
    expect(out).not.toContain(jwt);
    expect(out).not.toContain("hunter2");
    expect(out).not.toContain("xyz");
    expect(out).not.toContain("/root");
    expect(out).toContain(REDACTED);
  });

  it("serialises typed errors with their context", () => {
    const sink = new MemorySink();
    createLogger({ sink }).error("x", { error: new AidpWatchError("boom", { context: { opcRequestId: "Q", status: 503 } }) });
    expect(sink.records()[0]!.error).toMatchObject({ name: "AidpWatchError", message: "boom", opcRequestId: "Q", status: 503 });
  });
});

describe("redact (property)", () => {
  it("removes any PEM block embedded in any string", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const out = redactString(`${a}${pem}${b}`);
        expect(out).not.toMatch(/BEGIN PRIVATE KEY[\s\S]*END PRIVATE KEY/);
      }),
    );
  });

  it("handles cycles and deep nesting without throwing", () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) deep = deep.next = {} as Record<string, unknown>;
    expect(() => redact({ o, root })).not.toThrow();
  });
});

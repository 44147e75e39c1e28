import { describe, expect, it } from "vitest";
import { resolveAidpBaseUrl } from "../../../shared/aidp/aidp-endpoint.js";
import { ASYNC_OPERATION_ACTION_TYPES, TERMINAL_ASYNC_OPERATION_STATUSES } from "../../../shared/aidp/aidp-enums.js";
import { AidpClientError } from "../../../shared/aidp/aidp-errors.js";
import { AsyncOperationSchema } from "../../../shared/aidp/async-operation-schema.js";
import { collectAll, type Page, paginate } from "../../../shared/aidp/paginate.js";
import { NetworkError, ServiceError } from "../../../shared/http/http-errors.js";
import { toHttpError } from "../../../shared/oci/to-http-error.js";
import { isKnown } from "../../../shared/schema/open-enum.js";
import * as common from "oci-common";

describe("AIDP endpoint", () => {
  it("defaults to the documented aidp.<region> host and appends /20260430 once", () => {
    expect(resolveAidpBaseUrl({ regionId: "eu-frankfurt-1" })).toBe("https://aidp.eu-frankfurt-1.oci.oraclecloud.com/20260430");
    expect(resolveAidpBaseUrl({ regionId: "x-1", secondLevelDomain: "oraclecloud.eu" })).toBe(
      "https://aidp.x-1.oci.oraclecloud.eu/20260430",
    );
    expect(resolveAidpBaseUrl({ endpoint: "https://datalake.us-ashburn-1.oci.oraclecloud.com/" })).toBe(
      "https://datalake.us-ashburn-1.oci.oraclecloud.com/20260430",
    );
    expect(resolveAidpBaseUrl({ endpoint: "http://127.0.0.1:9/20260430", regionId: "ignored" })).toBe("http://127.0.0.1:9/20260430");
    expect(() => resolveAidpBaseUrl({})).toThrow(AidpClientError);
    expect(() => resolveAidpBaseUrl({ endpoint: "ftp://x" })).toThrow(AidpClientError);
    expect(() => resolveAidpBaseUrl({ endpoint: "not a url" })).toThrow(AidpClientError);
  });
});

describe("open enums", () => {
  it("parse unknown values as they are and report them through isKnown", () => {
    const op = AsyncOperationSchema.parse({
      key: "k",
      resourceType: "NEW_TYPE",
      actionType: "DEPLOY_AGENT_FLOW",
      resourceName: "r",
      status: "PAUSED",
      extra: 1,
      timeStarted: null,
    });
    expect(op).toMatchObject({ resourceType: "NEW_TYPE", status: "PAUSED", extra: 1, timeStarted: undefined });
    expect(isKnown(ASYNC_OPERATION_ACTION_TYPES, "DEPLOY_AGENT_FLOW")).toBe(true);
    expect(isKnown(ASYNC_OPERATION_ACTION_TYPES, "NEW_ACTION")).toBe(false);
    expect(ASYNC_OPERATION_ACTION_TYPES).toContain("DEPLOY_AGENT");
    expect(["SUCCEEDED", "FAILED", "CANCELED", "IN_PROGRESS", "PAUSED"].map((s) => isKnown(TERMINAL_ASYNC_OPERATION_STATUSES, s))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe("paginate", () => {
  const pages: Record<string, Page<number>> = {
    start: { items: [1, 2], nextPage: "p2", opcRequestId: "a" },
    p2: { items: [3], nextPage: "p3", opcRequestId: "b" },
    p3: { items: [4], nextPage: undefined, opcRequestId: "c" },
  };
  it("follows opc-next-page until it is absent", async () => {
    const seen: Array<string | undefined> = [];
    const all = await collectAll(
      paginate(async (p) => {
        seen.push(p);
        return pages[p ?? "start"]!;
      }),
    );
    expect(all).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([undefined, "p2", "p3"]);
  });
  it("stops on a repeated page token instead of looping forever", async () => {
    let calls = 0;
    const all = await collectAll(
      paginate(async () => {
        calls++;
        return { items: [calls], nextPage: "same", opcRequestId: undefined };
      }),
    );
    expect(all).toEqual([1, 2]);
  });
});

describe("toHttpError", () => {
  it("maps OciError, the SDK's plain network object, fetch TypeErrors and anything else", () => {
    const oci = new common.OciError(
      412,
      "IfMatchFailed",
      "etag mismatch",
      "req-1",
      "ObjectStorage",
      "putObject",
      "t",
      "PUT http://x/n/ns/b/b/o/a",
      "",
    );
    expect(toHttpError(oci, { operation: "os.putObject" })).toMatchObject({
      status: 412,
      code: "IfMatchFailed",
      opcRequestId: "req-1",
      endpoint: "PUT http://x/n/ns/b/b/o/a",
    });
    expect(toHttpError(oci, { operation: "os.putObject" })).toBeInstanceOf(ServiceError);
    const plain = { message: "fetch failed", code: "ECONNREFUSED", requestEndpoint: "GET http://x/n", troubleshootingPage: "…" };
    expect(toHttpError(plain, { operation: "os.getNamespace" })).toMatchObject({ code: "ECONNREFUSED", endpoint: "GET http://x/n" });
    expect(toHttpError(plain, { operation: "os.getNamespace" })).toBeInstanceOf(NetworkError);
    const te = new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    expect(toHttpError(te, { operation: "x", endpoint: "GET y" })).toMatchObject({ code: "UND_ERR_SOCKET" });
    const odd = toHttpError("boom", { operation: "x" });
    expect(odd.message).toBe("x failed: boom");
    expect(toHttpError(odd, { operation: "y" })).toBe(odd);
  });
});

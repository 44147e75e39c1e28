/**
 * The console's web server (node:http, 127.0.0.1 only, read-only):
 *
 *   GET /                    the page (page/console-html.ts)
 *   GET /console.css, /console.js   its stylesheet and script (bundled: dist/console/console.js)
 *   GET /api/snapshot        what the page shows (ConsoleReader), refreshed in the background
 *   GET /archive/<object>    an object of the output bucket, read through its ObjectStore: the
 *                            archive viewer (`…/index.html`) and, from its relative links, the parts
 *
 * Archived objects are served with a CSP that allows no script and no
 * network; every one except the viewer (which embeds PDFs, and has its own
 * strict CSP) is also sandboxed: an HTML or SVG part opened on its own can't
 * run script in the console's origin.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeError } from "../shared/errors/aidp-watch-error.js";
import type { ObjectStore } from "../shared/storage/object-store.js";
import { Deadline } from "../shared/time/deadline.js";
import type { ConsoleReader } from "./console-reader.js";
import type { ConsoleSnapshot } from "./console-snapshot.js";
import { CONSOLE_CSS } from "./page/console-css.js";
import { CONSOLE_HTML } from "./page/console-html.js";

export interface ConsoleServerOptions {
  readonly reader: ConsoleReader;
  readonly outputStore: ObjectStore | undefined;
  /** Only objects under this prefix are served. */
  readonly outputPrefix: string;
  /** 0 = any free port. */
  readonly port: number;
  /** Background refresh interval. @default 1000 */
  readonly refreshMs?: number;
  /** The page script; @default dist/console/console.js found from this module */
  readonly script?: string;
}

export interface ConsoleServer {
  readonly url: string;
  /** The latest snapshot (undefined before the first refresh finished). */
  latest(): ConsoleSnapshot | undefined;
  close(): Promise<void>;
}

export const ARCHIVE_ROUTE = "/archive/";
const ARCHIVE_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; object-src data:; frame-src 'none'; base-uri 'none'; form-action 'none'";
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The console URL path of an output-bucket object (each segment percent-encoded, slashes kept so relative links work). */
export function archivePath(objectName: string): string {
  return `${ARCHIVE_ROUTE}${objectName.split("/").map(encodeURIComponent).join("/")}`;
}

/** Finds `dist/console/console.js` above this module (source run by tsx/vitest, or the bundled dist/cli.js). */
export function findConsoleScript(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, "console", "console.js"), join(dir, "dist", "console", "console.js")]) {
      if (existsSync(candidate)) return readFileSync(candidate, "utf8");
    }
    dir = dirname(dir);
  }
  throw new Error("dist/console/console.js not found: run npm run build");
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    ...headers,
  });
  res.end(body);
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const script = options.script ?? findConsoleScript();
  let latest: ConsoleSnapshot | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    inFlight ??= options.reader
      .snapshot()
      .then((s) => {
        latest = s;
      })
      .finally(() => {
        inFlight = undefined;
        if (!stopped) timer = setTimeout(() => void refresh(), options.refreshMs ?? 1000);
      });
    return inFlight;
  };

  const prefix = options.outputPrefix.replace(/^\/+|\/+$/g, "");
  async function archive(path: string, res: ServerResponse): Promise<void> {
    let name: string;
    try {
      name = path.slice(ARCHIVE_ROUTE.length).split("/").map(decodeURIComponent).join("/");
    } catch {
      return send(res, 400, "text/plain; charset=utf-8", "bad object name\n");
    }
    if (!options.outputStore || (prefix !== "" && !name.startsWith(`${prefix}/`)))
      return send(res, 404, "text/plain; charset=utf-8", "not an archived object\n");
    const obj = await options.outputStore.get(name, { deadline: Deadline.in(20_000) });
    if (!obj) return send(res, 404, "text/plain; charset=utf-8", "no such object\n");
    const viewer = name.endsWith("/index.html");
    send(res, 200, obj.contentType ?? "application/octet-stream", obj.body, {
      "content-security-policy": viewer ? ARCHIVE_CSP : `${ARCHIVE_CSP}; sandbox`,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://console.invalid").pathname;
    if (req.method !== "GET" && req.method !== "HEAD")
      return send(res, 405, "text/plain; charset=utf-8", "read-only\n", { allow: "GET, HEAD" });
    if (path === "/") return send(res, 200, "text/html; charset=utf-8", CONSOLE_HTML, { "content-security-policy": PAGE_CSP });
    if (path === "/console.css") return send(res, 200, "text/css; charset=utf-8", CONSOLE_CSS);
    if (path === "/console.js") return send(res, 200, "text/javascript; charset=utf-8", script);
    if (path === "/api/snapshot") {
      if (!latest) await refresh();
      return send(res, 200, "application/json; charset=utf-8", JSON.stringify(latest));
    }
    if (path.startsWith(ARCHIVE_ROUTE)) return archive(path, res);
    return send(res, 404, "text/plain; charset=utf-8", "not found\n");
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 502, "text/plain; charset=utf-8", `${describeError(err)}\n`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  void refresh();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    latest: () => latest,
    close: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight?.catch(() => {});
      clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleConsoleScript } from "../../scripts/console-bundle.mjs";
import { parseManifest } from "../../shared/export/manifest.js";
import { OUTPUT_BUCKET, STACK_PLATFORM_ID } from "../../stack/stack-config.js";
import { type Stack, startStack } from "../../stack/stack.js";
import { type Browser, launchBrowser, seriousAxeViolations } from "../support/browser.js";
import { buildBundles } from "../support/build-bundles.js";

// The console and the archive viewer in a real browser (Debian's chromium via
// playwright-core), against a running local stack: what a person sees. Waits
// are on conditions with generous ceilings (a loaded 2-core machine), never
// fixed sleeps.

const HOSTILE = `<img src=x onerror="window.__pwned=1">"'><script>window.__pwned=2</script>`;
const WAIT = { timeout: 90_000 };

describe("console and archive viewer in chromium", () => {
  let bundle: Awaited<ReturnType<typeof buildBundles>>;
  let stack: Stack;
  let browser: Browser;
  let dataDir: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    bundle = await buildBundles();
    const consoleScript = await bundleConsoleScript();
    dataDir = mkdtempSync(join(tmpdir(), "aidp-watch-browser-"));
    stack = await startStack({ port: 0, dataDir, speed: 20, pollIntervalMs: 1000, entry: bundle.func, consoleScript });
    browser = await launchBrowser();
    // Any alert/confirm a hostile part managed to raise is recorded (and must not happen).
    browser.context.on("page", (p) =>
      p.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      }),
    );
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bundle.dir, { recursive: true, force: true });
  }, 120_000);

  async function openConsole(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(stack.console!.url);
    await page.locator("#updated", { hasText: "updated" }).waitFor(WAIT);
    return page;
  }

  it("a new operation's terminal state appears without a reload; hostile names show as text", async () => {
    const page = await openConsole();
    const res = await fetch(`${stack.emulator.url}/_emulator/aidp/platforms/${STACK_PLATFORM_ID}/asyncOperations`, {
      method: "POST",
      body: JSON.stringify({ resourceType: "TABLE", actionType: "CREATE_TABLE", resourceName: HOSTILE, durationMs: 4000 }),
    });
    expect(res.status).toBeLessThan(300);
    const { key } = (await res.json()) as { key: string };
    const navigations: string[] = [];
    page.on("framenavigated", (f) => navigations.push(f.url()));
    const row = page.locator(`tr[data-key="${key}"][data-status="SUCCEEDED"]`);
    await row.waitFor(WAIT);
    await expect.poll(() => row.textContent(), WAIT).toContain("announced");
    expect(navigations).toEqual([]);
    expect(await row.locator("td.key").textContent()).toContain(HOSTILE);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("#platforms img, #platforms script").count()).toBe(0);
    // Seeded states are there too: the failed bundle deploy with its error code.
    await page.locator('tr[data-status="FAILED"]', { hasText: "BundleValidationFailed" }).waitFor(WAIT);
    await page.close();
  });

  it("shows a message as the email and as the Slack post subscribers received", async () => {
    const page = await openConsole();
    const msg = page.locator("details.msg", { hasText: "FAILED · BUNDLE_DEPLOY" }).first();
    await msg.waitFor(WAIT);
    await msg.locator("summary").focus();
    await page.keyboard.press("Enter");
    const email = msg.locator("pre.email");
    await email.waitFor({ state: "visible", ...WAIT });
    expect(await email.textContent()).toMatch(/^From: .*\r?\nTo: you@example\.com\r?\nSubject: FAILED · BUNDLE_DEPLOY/);
    const slack = msg.locator(".slack");
    expect(await slack.locator("strong").first().textContent()).toMatch(/^FAILED · BUNDLE_DEPLOY/);
    expect(await slack.textContent()).toContain("BundleValidationFailed");
    // A still-running warning reaches the inbox as well.
    await page.locator('details.msg[data-kind="still running"]').first().waitFor(WAIT);
    // The open message stays open across live updates.
    const updated = await page.locator("#updated").textContent();
    await expect.poll(() => page.locator("#updated").textContent(), WAIT).not.toBe(updated);
    expect(await msg.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await page.close();
  });

  it("opens the archive viewer from the console: the image inline, the checksums", async () => {
    const page = await openConsole();
    const row = page.locator("#output-list tr", { hasText: "IMAGE_PNG" }).first();
    await row.waitFor(WAIT);
    await row.locator("a.viewer-link").click();
    await page.waitForURL(/\/archive\/.*\/index\.html$/, WAIT);
    const img = page.locator("img.part-img").first();
    await img.waitFor(WAIT);
    await expect
      .poll(() => img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth), WAIT)
      .toBeGreaterThan(0);
    const manifestName = decodeURIComponent(new URL(page.url()).pathname.slice("/archive/".length)).replace(
      /index\.html$/,
      "manifest.json",
    );
    const manifest = parseManifest(stack.objectStorage.getObject(OUTPUT_BUCKET, manifestName)!.body)!;
    const shas = await page.locator("code.sha").allTextContents();
    for (const p of manifest.parts) {
      if (p.status !== "archived") continue;
      expect(shas).toContain(p.sha256);
      const body = stack.objectStorage.getObject(OUTPUT_BUCKET, p.object)!.body;
      expect(createHash("sha256").update(body).digest("hex")).toBe(p.sha256);
    }
    await page.close();
  });

  it("hostile output names and contents render as text in the console and the viewer", async () => {
    // A listener the hostile parts try to reach: it must receive nothing (the pages fetch nothing).
    const hits: string[] = [];
    const beacon = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end();
    });
    await new Promise<void>((r) => beacon.listen(0, "127.0.0.1", () => r()));
    const beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}/beacon`;
    const html = `<h1 id="inner">inner page</h1><script>parent.__pwned=3</script><img src="${beaconUrl}"><link rel="stylesheet" href="${beaconUrl}.css">`;
    const { taskRunKeys } = stack.aidp.addJobRun(STACK_PLATFORM_ID, "ws-demo", {
      jobKey: "hostile",
      name: HOSTILE,
      tasks: [
        {
          name: HOSTILE,
          output: {
            data: [
              { type: "TEXT_PLAIN", value: HOSTILE },
              { type: "TEXT_HTML", value: html },
              {
                type: "IMAGE_SVG",
                value: `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="parent.__pwned=4"><script>parent.__pwned=5</script><rect width="10" height="10"/></svg>`,
              },
              { type: "APPLICATION_JSON", value: JSON.stringify({ [HOSTILE]: HOSTILE }) },
            ],
            errorTrace: HOSTILE,
            isTruncated: true,
          },
        },
      ],
    });
    const call = await stack.functions
      .get("export")!
      .invoke({ aiDataPlatformId: STACK_PLATFORM_ID, workspaceKey: "ws-demo", taskRunKey: taskRunKeys[0] }, { deadlineMs: 120_000 });
    expect(call.status, call.body).toBe(200);

    const page = await openConsole();
    const row = page.locator(`#output-list tr[data-task-run="${taskRunKeys[0]}"]`);
    await row.waitFor(WAIT);
    expect(await row.locator("td.key").first().textContent()).toContain(HOSTILE);
    await row.locator("a.viewer-link").click();
    await page.waitForURL(/index\.html$/, WAIT);
    await expect.poll(() => page.locator("h1").textContent(), WAIT).toContain(HOSTILE);
    expect(await page.locator("pre.text").first().textContent()).toContain(HOSTILE);
    expect(await page.locator("text=Truncated.").count()).toBeGreaterThan(0);
    // The HTML part is in a sandboxed frame: its script did not run, its beacon was not fetched.
    const frame = page.locator("iframe.html-frame").first();
    expect(await frame.getAttribute("sandbox")).toBe("");
    await expect.poll(() => page.frameLocator("iframe.html-frame").first().locator("#inner").textContent(), WAIT).toBe("inner page");
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // Give the frame's subresources every chance (the page is fully loaded), then check nothing came.
    await page.waitForLoadState("load");
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    expect(hits).toEqual([]);
    await new Promise<void>((r) => beacon.close(() => r()));
    await page.close();
  });

  it("has no serious or critical accessibility violations on either page, at desktop and phone width", async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await browser.newPage(viewport);
      await page.goto(stack.console!.url);
      await page.locator("#output-list a.viewer-link").first().waitFor(WAIT);
      await page.locator("details.msg").first().waitFor(WAIT);
      expect(await seriousAxeViolations(page), `console at ${viewport.width}px`).toEqual([]);
      if (viewport.width < 500)
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width + 1);
      await page.locator("#output-list tr", { hasText: "IMAGE_PNG" }).first().locator("a.viewer-link").click();
      await page.waitForURL(/index\.html$/, WAIT);
      await page.locator("img.part-img").first().waitFor(WAIT);
      expect(await seriousAxeViolations(page), `viewer at ${viewport.width}px`).toEqual([]);
      await page.close();
    }
  });

  it("says when it cannot reach a service", async () => {
    const page = await openConsole();
    await stack.console!.close();
    await page.locator("#alert", { hasText: "Cannot reach the console server" }).waitFor(WAIT);
    await page.close();
  });
});

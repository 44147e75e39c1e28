// `npm run screenshots`: the README's pictures of the console and the archive
// viewer (docs/img/*.png), taken the way the browser tests look at them:
// Debian's chromium through playwright-core, against a local stack playing
// the demo scenario (fast clock, throw-away data folder).
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startStack } from "../stack/stack.js";
import { launchBrowser } from "../test/support/browser.js";

const ROOT = resolve(import.meta.dirname, "..");
const out = join(ROOT, "docs", "img");
mkdirSync(out, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), "aidp-watch-shots-"));
const stack = await startStack({
  port: 0,
  dataDir,
  speed: 20,
  pollIntervalMs: 1000,
  entry: join(ROOT, "dist", "func.cjs"),
});
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ width: 1280, height: 1500 });
  await page.goto(stack.console!.url);
  // The demo is complete enough to show: outputs archived, a still-running warning sent, a failure announced.
  await page.locator("#output-list a.viewer-link").nth(3).waitFor({ timeout: 180_000 });
  await page.locator('details.msg[data-kind="still running"]').first().waitFor({ timeout: 180_000 });
  await page.locator('tr[data-status="FAILED"]').first().waitFor({ timeout: 180_000 });
  const failed = page.locator("details.msg", { hasText: "FAILED · BUNDLE_DEPLOY" }).first();
  await failed.locator("summary").click();
  await page.screenshot({ path: join(out, "console.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(out, "console-phone.png") });
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.locator("#output-list tr", { hasText: "IMAGE_PNG" }).first().locator("a.viewer-link").click();
  await page.waitForURL(/index\.html$/);
  await page.locator("img.part-img").first().waitFor();
  await page.screenshot({ path: join(out, "viewer.png") });
  process.stdout.write(`screenshots written to ${out}\n`);
} finally {
  await browser.close();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

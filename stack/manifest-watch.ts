/**
 * Notices export manifests appearing in the output bucket (each export ends by
 * writing `…/<taskRunKey>/<outputKey>/v<version>/manifest.json`). Manifests
 * already there at start are known but not reported.
 */
import type { ObjectStorageEmulator } from "../emulator/services/object-storage/index.js";

export class ManifestWatch {
  private readonly known = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly os: ObjectStorageEmulator,
    private readonly bucket: string,
    private readonly onManifest: (name: string) => void,
  ) {
    for (const n of this.manifests()) this.known.add(n);
  }

  /** Every manifest in the bucket now. */
  manifests(): string[] {
    try {
      return this.os.listObjectNames(this.bucket).filter((n) => n.endsWith("/manifest.json"));
    } catch {
      return [];
    }
  }

  get existingAtStart(): number {
    return this.known.size;
  }

  start(intervalMs = 300): void {
    this.timer = setInterval(() => this.check(), intervalMs);
  }

  check(): void {
    for (const n of this.manifests()) {
      if (this.known.has(n)) continue;
      this.known.add(n);
      this.onManifest(n);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.check();
  }
}

/** The task-run key segment of a manifest name, when it is one of `taskRunKeys`. */
export function taskRunOf(manifest: string, taskRunKeys: readonly string[]): string | undefined {
  const segments = manifest.split("/");
  return taskRunKeys.find((k) => segments.includes(k) || segments.includes(encodeURIComponent(k)));
}

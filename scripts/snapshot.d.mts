export declare const SNAPSHOT_CONFIG: string;
export declare function buildSnapshot(options: { script: string; blob: string; node?: string }): {
  blob: string;
  buildMs: number;
  blobBytes: number;
  /** What node printed on stderr while building (empty when all went well). */
  warnings: string;
};

import type { BuildOptions, Metafile, Plugin } from "esbuild";

export declare const ROOT: string;
export declare const CHUNK_DIR: string;
export declare const REQUIRE_BANNER: string;
export declare const alias: Record<string, string>;
export declare const ociCommonHeaders: Plugin;
export declare const zodEnglishOnly: Plugin;
export declare const commonOptions: BuildOptions;
export declare function functionBuildOptions(outdir: string): BuildOptions;
export declare function cliBuildOptions(outdir: string): BuildOptions;
export declare function buildAll(
  outdir: string,
  options?: { metafile?: boolean },
): Promise<{ func: string; cli: string; funcMetafile: Metafile; cliMetafile: Metafile | undefined }>;

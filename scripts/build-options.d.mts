import type { BuildOptions, Plugin } from "esbuild";

export declare const ROOT: string;
export declare const CHUNK_DIR: string;
export declare const CLI_CHUNK_PREFIX: string;
export declare const REQUIRE_BANNER: string;
export declare const alias: Record<string, string>;
export declare const ociCommonHeaders: Plugin;
export declare const zodEnglishOnly: Plugin;
export declare const commonOptions: BuildOptions;
export declare function entryBuildOptions(outdir: string): BuildOptions;
export declare function appBuildOptions(outdir: string): BuildOptions;
export declare function cliBuildOptions(outdir: string): BuildOptions;
export declare function buildAll(outdir: string): Promise<{ func: string; cli: string }>;

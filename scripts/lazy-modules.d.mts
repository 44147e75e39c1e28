import type { Plugin } from "esbuild";

export declare const LAZY_PACKAGES: Readonly<Record<string, "object" | "function">>;
export declare function lazyPackagesFor(packages: Readonly<Record<string, "object" | "function">>): Plugin;
export declare function standIn(real: string, kind: "object" | "function"): string;
export declare const lazyPackages: Plugin;
export declare const jsonwebtokenDecodeOnly: Plugin;
export declare const lazySdkModels: Plugin;

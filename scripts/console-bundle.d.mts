/** Bundles console/page/console-app.ts: written to `outfile`, or returned as text when none is given. */
export function bundleConsoleScript(outfile?: string): Promise<string | undefined>;

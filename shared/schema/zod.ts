/**
 * The one zod entry of `shared/` and `functions/`: zod/mini, with English
 * messages. Import it as a namespace (`import * as z from "../schema/zod.js"`)
 * and use it through property access, so esbuild still drops what is unused.
 *
 * Why mini, not classic zod (`import { z } from "zod"`): cold start. Every
 * classic schema carries ~50 method closures of its own (~1,090 bytes of heap
 * against ~650 for mini), built when its module loads, and classic's API is
 * a larger module to compile; the configuration is validated on every
 * function's first call, before anything else is loaded, and mini keeps that
 * path small (docs/cold-start.md). Tooling (cli/, emulator/, stack/,
 * test/) may keep classic zod: it is not in the function bundles.
 *
 * Mini loads no locale by itself (its messages would be a bare "Invalid
 * input"); use zod's default English messages, as classic does. This is a
 * global setting, and classic sets the same one when it loads.
 */
import { config, locales } from "zod/mini";

config(locales.en());

export * from "zod/mini";

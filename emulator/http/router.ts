import type { RouteDef } from "./types.js";

interface CompiledRoute {
  readonly def: RouteDef;
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly def: RouteDef;
  readonly params: Record<string, string>;
}

/**
 * Matches on raw (still percent-encoded) path segments and decodes each
 * parameter once, so an Object Storage name like `a%2Fb` stays one segment
 * and round-trips exactly, as the real service does.
 */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(def: RouteDef): void {
    if (this.routes.some((r) => r.def.name === def.name)) throw new Error(`duplicate route name ${def.name}`);
    this.routes.push({ def, segments: def.pattern.split("/") });
  }

  names(): string[] {
    return this.routes.map((r) => r.def.name);
  }

  /** `undefined` = no such path; `"method"` = the path exists with other methods. */
  match(method: string, rawPath: string): RouteMatch | "method" | undefined {
    const parts = rawPath.split("/");
    let pathExists = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.def.method !== method) {
        pathExists = true;
        continue;
      }
      return { def: route.def, params };
    }
    return pathExists ? "method" : undefined;
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(":")) {
      if (v === "") return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}

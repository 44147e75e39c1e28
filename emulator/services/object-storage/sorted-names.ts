import { compareNames } from "./object-name.js";

/** A bucket's object names, kept sorted for listing (binary-search insert and delete). */
export class SortedNames {
  private readonly names: string[] = [];

  get all(): readonly string[] {
    return this.names;
  }

  /** Index of the first name `>= name`. */
  lowerBound(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(this.names[mid]!, name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(name: string): void {
    const i = this.lowerBound(name);
    if (this.names[i] !== name) this.names.splice(i, 0, name);
  }

  delete(name: string): void {
    const i = this.lowerBound(name);
    if (this.names[i] === name) this.names.splice(i, 1);
  }
}

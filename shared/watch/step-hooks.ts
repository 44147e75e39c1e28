/**
 * Test seams of the sweep and of announcing. `afterStep` runs after every
 * step that changes or reads state (`read-index`, `list-registrations`,
 * `list-in-progress`, `list-terminal`, `fetch`, `claim`, `publish`,
 * `mark-published`, `save-index`, `delete-registration`…); a test makes it
 * throw `InjectedCrash` to simulate the process dying right there, then runs a
 * new sweep and checks that nothing was lost.
 */
import { InjectedCrash } from "./watch-errors.js";

export interface StepHooks {
  afterStep?(step: string, detail?: string): void;
}

export function step(hooks: StepHooks | undefined, name: string, detail?: string): void {
  hooks?.afterStep?.(name, detail);
}

/** A crash must not be handled like an ordinary failure (no cleanup: the process is gone). */
export function rethrowCrash(err: unknown): void {
  if (err instanceof InjectedCrash) throw err;
}

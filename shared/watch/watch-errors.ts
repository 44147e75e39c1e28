import { AidpWatchError } from "../errors/aidp-watch-error.js";

/** The error family of the watch core (sweep, track, state stores). */
export class WatchError extends AidpWatchError {}

/** The index kept changing under us: another sweep won every round of read-modify-write. */
export class IndexContentionError extends WatchError {}

/** A crash injected by a test hook (`hooks.afterStep`). */
export class InjectedCrash extends WatchError {}

import { AidpWatchError } from "../shared/errors/aidp-watch-error.js";

/** Errors of the local stack: a function process that won't start, a call that fails at the socket. */
export class StackError extends AidpWatchError {}

import { AidpWatchError } from "../../../shared/errors/aidp-watch-error.js";

/** Failures of the emulator's Object Storage persistence (unreadable data dir, corrupt object file). */
export class ObjectStoreError extends AidpWatchError {}

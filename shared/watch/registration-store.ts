/**
 * Registrations from `track`: one write-once object per operation,
 * `platforms/<platformId>/registrations/<key>.json`, created with
 * `if-none-match: *` — a duplicate event (Events delivers at least once; CI
 * may retry) gets 412 and changes nothing. `track` never touches the index, so
 * it never contends with a sweep; the sweep lists this prefix (one call,
 * usually empty), merges the keys into the index, and deletes the objects
 * only after an index containing them is saved:
 *
 *   track:  put reg (if-none-match *) ───────────────────────────────┐
 *   sweep:  list regs → merge → save index (if-match) → delete reg ◄─┘
 *
 * A crash between save and delete leaves the object: the next sweep merges
 * the same key again (a no-op) and deletes it then.
 */
import type { ObjectStore } from "../storage/object-store.js";
import { PreconditionFailedError } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import type { StatePaths } from "./state-paths.js";

export interface RegistrationRecord {
  readonly platformId: string;
  readonly asyncOperationKey: string;
  readonly registeredAt: string;
  readonly via: string;
}

export class RegistrationStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly paths: StatePaths,
  ) {}

  async register(record: RegistrationRecord, deadline: Deadline): Promise<"created" | "exists"> {
    try {
      await this.store.put(this.paths.registration(record.platformId, record.asyncOperationKey), JSON.stringify(record), {
        ifNoneMatch: "*",
        contentType: "application/json",
        deadline,
      });
      return "created";
    } catch (err) {
      if (err instanceof PreconditionFailedError) return "exists";
      throw err;
    }
  }

  async list(platformId: string, deadline: Deadline): Promise<string[]> {
    const keys: string[] = [];
    for await (const name of this.store.list(this.paths.registrationsPrefix(platformId), { deadline })) {
      const key = this.paths.registrationKey(platformId, name);
      if (key !== undefined) keys.push(key);
    }
    return keys;
  }

  async remove(platformId: string, key: string, deadline: Deadline): Promise<void> {
    await this.store.delete(this.paths.registration(platformId, key), { deadline });
  }
}

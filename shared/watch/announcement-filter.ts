/**
 * Which announcements go out, from `AIDP_WATCH_NOTIFY_STATUSES` and the
 * include/exclude lists of action and resource types.
 *
 * - Statuses: the list names AIDP statuses; `OTHER` stands for any status value
 *   AIDP adds later. The statuses aidp-watch makes itself (STILL_RUNNING, LOST,
 *   GAVE_UP) are not subject to it: each has its own switch
 *   (`AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES=0`, …) and losing track of an
 *   operation is always worth saying.
 * - Types: an include list, when non-empty, admits only its values; the
 *   exclude list always wins. Type filters apply to every announcement of the
 *   operation, and the sweep does not even track operations they exclude.
 */
import type { Config } from "../config/config-schema.js";
import { ASYNC_OPERATION_STATUSES, TERMINAL_ASYNC_OPERATION_STATUSES } from "../aidp/aidp-enums.js";
import { isKnown } from "../schema/open-enum.js";
import { isWatchStatus } from "./operation.js";

export interface AnnouncementFilter {
  readonly statuses: readonly string[];
  readonly includeActionTypes: readonly string[];
  readonly excludeActionTypes: readonly string[];
  readonly includeResourceTypes: readonly string[];
  readonly excludeResourceTypes: readonly string[];
}

export const ALLOW_ALL: AnnouncementFilter = {
  statuses: [...TERMINAL_ASYNC_OPERATION_STATUSES, "OTHER"],
  includeActionTypes: [],
  excludeActionTypes: [],
  includeResourceTypes: [],
  excludeResourceTypes: [],
};

export function announcementFilterFromConfig(config: Config): AnnouncementFilter {
  return {
    statuses: config.AIDP_WATCH_NOTIFY_STATUSES,
    includeActionTypes: config.AIDP_WATCH_INCLUDE_ACTION_TYPES,
    excludeActionTypes: config.AIDP_WATCH_EXCLUDE_ACTION_TYPES,
    includeResourceTypes: config.AIDP_WATCH_INCLUDE_RESOURCE_TYPES,
    excludeResourceTypes: config.AIDP_WATCH_EXCLUDE_RESOURCE_TYPES,
  };
}

function admitted(value: string, include: readonly string[], exclude: readonly string[]): boolean {
  if (exclude.includes(value)) return false;
  return include.length === 0 || include.includes(value);
}

/** Whether announcements about an operation of these types can ever go out. */
export function typesAdmitted(filter: AnnouncementFilter, op: { readonly actionType: string; readonly resourceType: string }): boolean {
  return (
    admitted(op.actionType, filter.includeActionTypes, filter.excludeActionTypes) &&
    admitted(op.resourceType, filter.includeResourceTypes, filter.excludeResourceTypes)
  );
}

export function statusAdmitted(filter: AnnouncementFilter, status: string): boolean {
  if (isWatchStatus(status)) return true;
  if (filter.statuses.includes(status)) return true;
  return !isKnown(ASYNC_OPERATION_STATUSES, status) && filter.statuses.includes("OTHER");
}

/**
 * Operations whose types are unknown (registered by `track`, not fetched yet)
 * are admitted: the filter is applied again once they are known.
 */
export function shouldAnnounce(
  filter: AnnouncementFilter,
  status: string,
  op: { readonly actionType: string; readonly resourceType: string },
): boolean {
  return statusAdmitted(filter, status) && typesAdmitted(filter, op);
}

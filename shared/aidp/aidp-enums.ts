import { isKnown, type OpenEnum, openEnum } from "../decode/open-enum.js";
import { TASK_TYPES } from "../decode/run-output-schema.js";

/**
 * AIDP enums (API 20260430), all **open**: the service adds values without
 * notice (the REST reference and the SDK already disagree on action types), so
 * schemas accept any string and keep it. The known lists are exported with an
 * `isKnown…` helper so callers can report a value they have not seen before.
 * Sources: oci-facts §1.3–§1.4 (Oracle's generated SDK models).
 */
export const ASYNC_OPERATION_STATUSES = ["IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELED"] as const;
/** The statuses after which an async operation no longer changes. */
export const TERMINAL_ASYNC_OPERATION_STATUSES = ["SUCCEEDED", "FAILED", "CANCELED"] as const;

export const ASYNC_OPERATION_RESOURCE_TYPES = [
  "UNKNOWN", "CATALOG", "SCHEMA", "TABLE", "VIEW", "VOLUME", "VOLUME_FILE", "WORKSPACE", "WORKSPACE_OBJECT", "CLUSTER",
  "AI_COMPUTE", "KNOWLEDGE_BASE", "KNOWLEDGE_BASE_JOB", "KNOWLEDGE_BASE_JOB_RUN", "AGENT", "GIT_OPERATION", "BUNDLE_OPERATION",
] as const;

/** SDK list plus `DEPLOY_AGENT_FLOW`, which the REST reference has instead of `DEPLOY_AGENT`. */
export const ASYNC_OPERATION_ACTION_TYPES = [
  "UNKNOWN", "CREATE_CATALOG", "UPDATE_CATALOG", "DELETE_CATALOG", "TEST_CONNECTION_CATALOG", "CREATE_USER_SCHEMA_IN_CATALOG",
  "CREATE_SCHEMA", "DELETE_SCHEMA", "CREATE_TABLE", "UPDATE_TABLE", "DELETE_TABLE", "CREATE_VOLUME", "DELETE_VOLUME",
  "COPY_VOLUME_FILE", "MOVE_VOLUME_FILE", "DELETE_VOLUME_FILE", "DELETE_VOLUME_FOLDER", "LOAD_MODELS_IN_CATALOG",
  "CREATE_WORKSPACE", "UPDATE_WORKSPACE", "DELETE_WORKSPACE", "CREATE_CLUSTER", "UPDATE_CLUSTER", "START_CLUSTER",
  "STOP_CLUSTER", "RESTART_CLUSTER", "PATCH_CLUSTER_LIBRARIES", "DELETE_CLUSTER", "MANAGE_EXTRACTED_ENTITIES",
  "REFRESH_ENTITY", "DOWNLOAD_CLUSTER_LOG", "MIGRATE_EXTERNAL_CATALOG", "UPDATE_KNOWLEDGE_BASE", "DELETE_KNOWLEDGE_BASE",
  "CREATE_KNOWLEDGE_BASE", "DELETE_KNOWLEDGE_BASE_JOB", "CREATE_KNOWLEDGE_BASE_JOB", "CREATE_KNOWLEDGE_BASE_JOB_RUN",
  "DEPLOY_AGENT", "DEPLOY_AGENT_FLOW", "CREATE_GIT_FOLDER", "UPDATE_GIT_REPOSITORY", "CREATE_BUNDLE", "BUNDLE_DEPLOY",
  "BUNDLE_PURGE", "BUNDLE_SYNC", "MARK_AS_BUNDLE", "GIT_COMMIT_PUSH", "GIT_CREATE_BRANCH", "GIT_CHECKOUT_BRANCH",
  "GIT_OPERATION_PULL", "GIT_OPERATION_MERGE", "GIT_OPERATION_REBASE", "GIT_OPERATION_RESET", "GIT_OPERATION_RESET_STATE",
] as const;

/** `State.status` of task runs and job runs. */
export const RUN_STATUSES = [
  "PENDING", "QUEUED", "RUNNING", "SKIPPED", "INTERNAL_ERROR", "BLOCKED", "SUCCESS", "FAILED", "CANCELING", "CANCELED",
  "UPSTREAM_CANCELED", "UPSTREAM_FAILED", "EXCLUDED", "TIMED_OUT", "PAUSED_MAINTENANCE",
] as const;

export const EXPORT_FORMATS = ["HTML", "IPYNB"] as const;
export const JOB_RUN_LAUNCH_TYPES = ["SCHEDULED", "MANUAL"] as const;
export const SORT_ORDERS = ["ASC", "DESC"] as const;
export { TASK_TYPES };

export type AsyncOperationStatus = OpenEnum<(typeof ASYNC_OPERATION_STATUSES)[number]>;
export type AsyncOperationResourceType = OpenEnum<(typeof ASYNC_OPERATION_RESOURCE_TYPES)[number]>;
export type AsyncOperationActionType = OpenEnum<(typeof ASYNC_OPERATION_ACTION_TYPES)[number]>;
export type RunStatus = OpenEnum<(typeof RUN_STATUSES)[number]>;
export type ExportFormat = OpenEnum<(typeof EXPORT_FORMATS)[number]>;

export const AsyncOperationStatusSchema = openEnum(ASYNC_OPERATION_STATUSES);
export const AsyncOperationResourceTypeSchema = openEnum(ASYNC_OPERATION_RESOURCE_TYPES);
export const AsyncOperationActionTypeSchema = openEnum(ASYNC_OPERATION_ACTION_TYPES);
export const RunStatusSchema = openEnum(RUN_STATUSES);
export const TaskTypeSchema = openEnum(TASK_TYPES);
export const ExportFormatSchema = openEnum(EXPORT_FORMATS);
export const JobRunLaunchTypeSchema = openEnum(JOB_RUN_LAUNCH_TYPES);

export const isKnownAsyncOperationStatus = (v: string) => isKnown(ASYNC_OPERATION_STATUSES, v);
export const isTerminalAsyncOperationStatus = (v: string) => isKnown(TERMINAL_ASYNC_OPERATION_STATUSES, v);
export const isKnownResourceType = (v: string) => isKnown(ASYNC_OPERATION_RESOURCE_TYPES, v);
export const isKnownActionType = (v: string) => isKnown(ASYNC_OPERATION_ACTION_TYPES, v);
export const isKnownRunStatus = (v: string) => isKnown(RUN_STATUSES, v);
export const isKnownTaskType = (v: string) => isKnown(TASK_TYPES, v);
export const isKnownExportFormat = (v: string) => isKnown(EXPORT_FORMATS, v);

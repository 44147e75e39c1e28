/**
 * AIDP enums (API 20260430), all **open**: the service adds values without
 * notice (the REST reference and the SDK already disagree on action types), so
 * schemas accept any string and keep it; callers that must tell a value they
 * know from a new one use `isKnown` (shared/schema/open-enum.ts) with the lists
 * below. Each list is defined here once. Sources: docs/aidp-api.md
 * ("AIDP enums").
 */
import { openEnum } from "../schema/open-enum.js";

export const IN_PROGRESS = "IN_PROGRESS";
/** The statuses after which an async operation no longer changes. */
export const TERMINAL_ASYNC_OPERATION_STATUSES = ["SUCCEEDED", "FAILED", "CANCELED"] as const;
export const ASYNC_OPERATION_STATUSES = [IN_PROGRESS, ...TERMINAL_ASYNC_OPERATION_STATUSES] as const;

export const ASYNC_OPERATION_RESOURCE_TYPES = [
  "UNKNOWN",
  "CATALOG",
  "SCHEMA",
  "TABLE",
  "VIEW",
  "VOLUME",
  "VOLUME_FILE",
  "WORKSPACE",
  "WORKSPACE_OBJECT",
  "CLUSTER",
  "AI_COMPUTE",
  "KNOWLEDGE_BASE",
  "KNOWLEDGE_BASE_JOB",
  "KNOWLEDGE_BASE_JOB_RUN",
  "AGENT",
  "GIT_OPERATION",
  "BUNDLE_OPERATION",
] as const;

/** SDK list plus `DEPLOY_AGENT_FLOW`, which the REST reference has instead of `DEPLOY_AGENT`. */
export const ASYNC_OPERATION_ACTION_TYPES = [
  "UNKNOWN",
  "CREATE_CATALOG",
  "UPDATE_CATALOG",
  "DELETE_CATALOG",
  "TEST_CONNECTION_CATALOG",
  "CREATE_USER_SCHEMA_IN_CATALOG",
  "CREATE_SCHEMA",
  "DELETE_SCHEMA",
  "CREATE_TABLE",
  "UPDATE_TABLE",
  "DELETE_TABLE",
  "CREATE_VOLUME",
  "DELETE_VOLUME",
  "COPY_VOLUME_FILE",
  "MOVE_VOLUME_FILE",
  "DELETE_VOLUME_FILE",
  "DELETE_VOLUME_FOLDER",
  "LOAD_MODELS_IN_CATALOG",
  "CREATE_WORKSPACE",
  "UPDATE_WORKSPACE",
  "DELETE_WORKSPACE",
  "CREATE_CLUSTER",
  "UPDATE_CLUSTER",
  "START_CLUSTER",
  "STOP_CLUSTER",
  "RESTART_CLUSTER",
  "PATCH_CLUSTER_LIBRARIES",
  "DELETE_CLUSTER",
  "MANAGE_EXTRACTED_ENTITIES",
  "REFRESH_ENTITY",
  "DOWNLOAD_CLUSTER_LOG",
  "MIGRATE_EXTERNAL_CATALOG",
  "UPDATE_KNOWLEDGE_BASE",
  "DELETE_KNOWLEDGE_BASE",
  "CREATE_KNOWLEDGE_BASE",
  "DELETE_KNOWLEDGE_BASE_JOB",
  "CREATE_KNOWLEDGE_BASE_JOB",
  "CREATE_KNOWLEDGE_BASE_JOB_RUN",
  "DEPLOY_AGENT",
  "DEPLOY_AGENT_FLOW",
  "CREATE_GIT_FOLDER",
  "UPDATE_GIT_REPOSITORY",
  "CREATE_BUNDLE",
  "BUNDLE_DEPLOY",
  "BUNDLE_PURGE",
  "BUNDLE_SYNC",
  "MARK_AS_BUNDLE",
  "GIT_COMMIT_PUSH",
  "GIT_CREATE_BRANCH",
  "GIT_CHECKOUT_BRANCH",
  "GIT_OPERATION_PULL",
  "GIT_OPERATION_MERGE",
  "GIT_OPERATION_REBASE",
  "GIT_OPERATION_RESET",
  "GIT_OPERATION_RESET_STATE",
] as const;

/**
 * `State.status` of task runs and job runs, split by whether the run can still
 * change. The API does not say which statuses are final: the split is our
 * inference from their names (docs/aidp-api.md, "Run statuses").
 */
export const RUNNING_RUN_STATUSES = ["PENDING", "QUEUED", "RUNNING", "BLOCKED", "CANCELING", "PAUSED_MAINTENANCE"] as const;
export const FINISHED_RUN_STATUSES = [
  "SUCCESS",
  "FAILED",
  "SKIPPED",
  "CANCELED",
  "UPSTREAM_CANCELED",
  "UPSTREAM_FAILED",
  "TIMED_OUT",
  "INTERNAL_ERROR",
  "EXCLUDED",
] as const;
export const RUN_STATUSES = [...RUNNING_RUN_STATUSES, ...FINISHED_RUN_STATUSES] as const;

export const EXPORT_FORMATS = ["HTML", "IPYNB"] as const;
const JOB_RUN_LAUNCH_TYPES = ["SCHEDULED", "MANUAL"] as const;

export const AsyncOperationStatusSchema = openEnum(ASYNC_OPERATION_STATUSES);
export const AsyncOperationResourceTypeSchema = openEnum(ASYNC_OPERATION_RESOURCE_TYPES);
export const AsyncOperationActionTypeSchema = openEnum(ASYNC_OPERATION_ACTION_TYPES);
export const RunStatusSchema = openEnum(RUN_STATUSES);
export const ExportFormatSchema = openEnum(EXPORT_FORMATS);
export const JobRunLaunchTypeSchema = openEnum(JOB_RUN_LAUNCH_TYPES);

# ── Where ────────────────────────────────────────────────────────────────────

variable "tenancy_ocid" {
  description = "Tenancy OCID. The dynamic group lives in the tenancy and the Object Storage namespace is looked up there."
  type        = string
}

variable "region" {
  description = "Region of the functions, topic and buckets, e.g. us-ashburn-1."
  type        = string
}

variable "home_region" {
  description = "The tenancy's home region, where IAM resources must be written. null = same as region."
  type        = string
  default     = null
}

variable "compartment_id" {
  description = "Compartment for the application, functions, topic, buckets, schedule and logs. Prefer a dedicated compartment: the Events and Resource Scheduler service policies are scoped to it."
  type        = string
}

variable "aidp_compartment_id" {
  description = "Compartment of the AI Data Platform instances the functions watch (and of the Events rules). null = compartment_id."
  type        = string
  default     = null
}

variable "policy_compartment_id" {
  description = "Compartment the IAM policies are attached to; it must contain (or be an ancestor of) compartment_id, aidp_compartment_id and the KMS key's compartment. null = the tenancy (root)."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Prefix of every resource name. Functions are named <prefix>-poll, <prefix>-track, <prefix>-export; the application is named <prefix>."
  type        = string
  default     = "aidp-watch"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,29}$", var.name_prefix))
    error_message = "name_prefix: lower-case letters, digits and dashes, starting with a letter, at most 30 characters."
  }
}

variable "subnet_ids" {
  description = "Subnet OCIDs of the Functions application. The subnet needs egress (NAT or service gateway) to the AIDP, Object Storage and Notifications endpoints."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids: give at least one subnet."
  }
}

variable "application_shape" {
  description = "Processor architecture of the Functions application: GENERIC_X86 (default), GENERIC_ARM or GENERIC_X86_ARM. The image must be built for it: npm run deploy builds linux/amd64 unless given --platform (docs/deploy.md). Changing it replaces the application and its functions."
  type        = string
  default     = "GENERIC_X86"

  validation {
    condition     = contains(["GENERIC_X86", "GENERIC_ARM", "GENERIC_X86_ARM"], var.application_shape)
    error_message = "application_shape must be GENERIC_X86, GENERIC_ARM or GENERIC_X86_ARM."
  }
}

# ── Image ────────────────────────────────────────────────────────────────────

variable "ocir_registry" {
  description = "OCIR registry path the images are pushed to, exactly as in the fn context (`fn update context registry`), e.g. iad.ocir.io/<tenancy-namespace>/aidp-watch. Images are <registry>/<function name>:<image_tag>."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9.-]+/[a-z0-9._-]+(/[a-z0-9._/-]+)?[^/]$", var.ocir_registry))
    error_message = "ocir_registry: <region-key>.ocir.io/<namespace>[/<repo prefix>], without a trailing slash."
  }
}

variable "image_tag" {
  description = "Tag of the image the functions are created with (printed by `npm run deploy -- --push-only`). Later deploys (`npm run deploy -- --app <app>`) move the image; Terraform ignores that drift."
  type        = string
}

# ── Functions ────────────────────────────────────────────────────────────────

variable "function_memory_mb" {
  description = "Memory per function in MB (OCI allows 128, 256, 512, 1024, 2048, 3072). Keys: poll, track, export."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.function_memory_mb : contains(["poll", "track", "export"], k) && contains([128, 256, 512, 1024, 2048, 3072], v)])
    error_message = "function_memory_mb: keys poll/track/export, values 128, 256, 512, 1024, 2048 or 3072."
  }
}

variable "function_timeout_seconds" {
  description = "Timeout per function in seconds (OCI maximum for synchronous invocations: 300). Keys: poll, track, export."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.function_timeout_seconds : contains(["poll", "track", "export"], k) && v >= 5 && v <= 300])
    error_message = "function_timeout_seconds: keys poll/track/export, values 5..300."
  }
}

variable "poll_detached_timeout_seconds" {
  description = "Limit of one scheduled (detached) poll call, in seconds (OCI allows 5..3600). null = poll_interval_minutes * 60 + the deadline reserve (305 s with the defaults): a busy poll sweeps until its work deadline, which then falls on the next tick. Shorter leaves gaps without sweeps; longer makes ticks overlap."
  type        = number
  default     = null

  validation {
    condition     = var.poll_detached_timeout_seconds == null || (var.poll_detached_timeout_seconds >= 5 && var.poll_detached_timeout_seconds <= 3600)
    error_message = "poll_detached_timeout_seconds must be 5..3600."
  }
}

variable "failure_topic_id" {
  description = "Notifications topic that receives the record of a failed detached call (a scheduled poll that crashed or timed out), or null for the announcements topic. E.g. an operators' topic."
  type        = string
  default     = null
}

variable "failure_topic_compartment_id" {
  description = "Compartment of failure_topic_id, when it is not compartment_id: the functions' publish grant is extended to it. null = compartment_id."
  type        = string
  default     = null
}

variable "enable_invoke_logs" {
  description = "Create a log group and the Functions invoke log (the functions' stdout/stderr) for the application."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the invoke log, in days (OCI Logging accepts multiples of 30 up to 180)."
  type        = number
  default     = 30
}

# ── Notifications ────────────────────────────────────────────────────────────

variable "notification_emails" {
  description = "Email addresses subscribed to the topic. Each receives a confirmation mail; nothing is delivered until the link in it is clicked."
  type        = list(string)
  default     = []
}

variable "slack_enabled" {
  description = "Subscribe a Slack incoming webhook to the topic. The URL comes from slack_webhook_secret_id (an OCI Vault secret, preferred) or slack_webhook_url (a var-file kept outside the repository). Whether Slack is subscribed never depends on the secret, so an apply without the URL fails instead of deleting the subscription."
  type        = bool
  default     = false
}

variable "slack_webhook_secret_id" {
  description = "OCID of an OCI Vault secret holding the Slack webhook URL (read at plan time; whoever runs Terraform needs `read secret-bundles` on it). Preferred over slack_webhook_url."
  type        = string
  default     = null
}

variable "slack_webhook_url" {
  description = "Slack incoming-webhook URL, when not in the Vault: pass it with -var-file=<file outside the repository>. Secret: anyone holding it can post to the channel."
  type        = string
  default     = null
  sensitive   = true
}

# ── Storage ──────────────────────────────────────────────────────────────────

variable "kms_key_id" {
  description = "Vault key OCID to encrypt both buckets with, or null for Oracle-managed keys."
  type        = string
  default     = null
}

variable "kms_key_compartment_id" {
  description = "Compartment of kms_key_id (for the Object Storage service policy). null = compartment_id."
  type        = string
  default     = null
}

variable "output_retention_days" {
  description = "Archived task-run outputs are deleted this many days after they were written (lifecycle rule on the outputs bucket)."
  type        = number
  default     = 90

  validation {
    condition     = var.output_retention_days >= 1
    error_message = "output_retention_days must be at least 1."
  }
}

variable "previous_version_retention_days" {
  description = "Both buckets are versioned; overwritten or deleted object versions are removed after this many days."
  type        = number
  default     = 7

  validation {
    condition     = var.previous_version_retention_days >= 1
    error_message = "previous_version_retention_days must be at least 1."
  }
}

variable "announcement_claim_retention_days" {
  description = "Announcement claims (the dedupe records under <state_prefix>announcements/) are deleted after this many days. Keep it longer than the longest an operation is tracked (max_operation_age_hours)."
  type        = number
  default     = 14

  validation {
    condition     = var.announcement_claim_retention_days >= 4
    error_message = "announcement_claim_retention_days must be at least 4 (the default max operation age is 72 hours)."
  }
}

# ── Triggers ─────────────────────────────────────────────────────────────────

variable "poll_interval_minutes" {
  description = "The Resource Scheduler invokes the poll function every N minutes. N divides 60 so runs are evenly spaced."
  type        = number
  default     = 5

  validation {
    condition     = contains([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30], var.poll_interval_minutes)
    error_message = "poll_interval_minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30)."
  }
}

variable "poll_schedule_enabled" {
  description = "State of the poll schedule: true = ACTIVE, false = INACTIVE (kept, not running)."
  type        = bool
  default     = true
}

variable "track_event_condition" {
  description = "OCI Events rule condition (JSON) that invokes the track function, or null for no rule. Optional: AI Data Platform documents no event types, so polling is the dependable path. See docs/deploy.md."
  type        = string
  default     = null
}

variable "export_event_condition" {
  description = "OCI Events rule condition (JSON) that invokes the export function, or null for no rule. Optional, as for track_event_condition."
  type        = string
  default     = null
}

# ── Function configuration (AIDP_WATCH_* keys) ──────────────────────────────
# null (or an empty list) leaves the key unset, and the function applies the
# default documented in shared/config/config-schema.ts: defaults live in one place.

variable "platform_ids" {
  description = "AIDP_WATCH_PLATFORM_IDS: AI Data Platform OCIDs the sweep watches."
  type        = list(string)
  default     = []
}

variable "aidp_endpoint" {
  description = "AIDP_WATCH_AIDP_ENDPOINT: AIDP data-plane endpoint override (https://…), or null for the region's default."
  type        = string
  default     = null
}

variable "log_level" {
  description = "AIDP_WATCH_LOG_LEVEL: debug, info, warn, error or silent. null = warn."
  type        = string
  default     = null
}

variable "state_prefix" {
  description = "AIDP_WATCH_STATE_PREFIX: object name prefix of state objects, ending with /. The claim-expiry lifecycle rule uses the same prefix. null = aidp-watch/."
  type        = string
  default     = null

  validation {
    # Names are <prefix>announcements/…, and the claim-expiry rule filters on
    # exactly that. "" is refused: a function reads an empty value as unset
    # (aidp-watch/), so the rule would filter on announcements/ and miss.
    # Without the slash, listing "<prefix>" would take in other applications'
    # objects (aidp-watchX/…).
    condition     = var.state_prefix == null || can(regex("^[^/].{0,198}/$", var.state_prefix))
    error_message = "state_prefix must end with / and not start with / (2 to 200 characters), e.g. \"aidp-watch/\"; leave it null for aidp-watch/."
  }
}

variable "notify_statuses" {
  description = "AIDP_WATCH_NOTIFY_STATUSES: statuses announced (OTHER = any status AIDP adds later). [] = SUCCEEDED, FAILED, CANCELED, OTHER."
  type        = list(string)
  default     = []
}

variable "include_action_types" {
  description = "AIDP_WATCH_INCLUDE_ACTION_TYPES: only announce these action types. [] = all."
  type        = list(string)
  default     = []
}

variable "exclude_action_types" {
  description = "AIDP_WATCH_EXCLUDE_ACTION_TYPES: never announce these action types."
  type        = list(string)
  default     = []
}

variable "include_resource_types" {
  description = "AIDP_WATCH_INCLUDE_RESOURCE_TYPES: only announce these resource types. [] = all."
  type        = list(string)
  default     = []
}

variable "exclude_resource_types" {
  description = "AIDP_WATCH_EXCLUDE_RESOURCE_TYPES: never announce these resource types."
  type        = list(string)
  default     = []
}

variable "message_format" {
  description = "AIDP_WATCH_MESSAGE_FORMAT: text (people: email, Slack) or json (machines). null = text."
  type        = string
  default     = null
}

variable "display_time_zone" {
  description = "AIDP_WATCH_DISPLAY_TIME_ZONE: IANA time zone shown next to UTC times, or null for UTC only."
  type        = string
  default     = null
}

variable "console_url_template" {
  description = "AIDP_WATCH_CONSOLE_URL_TEMPLATE: link template with {platformId} {operationKey} {region}, or null for no link."
  type        = string
  default     = null
}

variable "publish_budget_per_minute" {
  description = "AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE: publishes per minute before the rest is folded into a digest (ONS allows 60/min per topic). null = 50."
  type        = number
  default     = null
}

variable "resource_types" {
  description = "AIDP_WATCH_RESOURCE_TYPES: only discover operations of these resource types. [] = all."
  type        = list(string)
  default     = []
}

variable "filter_by_calling_principal" {
  description = "AIDP_WATCH_FILTER_BY_CALLING_PRINCIPAL: only discover operations started by the function's own principal. null = false."
  type        = bool
  default     = null
}

variable "aidp_concurrency" {
  description = "AIDP_WATCH_AIDP_CONCURRENCY: concurrent requests towards AIDP. null = 4."
  type        = number
  default     = null
}

variable "max_operation_age_hours" {
  description = "AIDP_WATCH_MAX_OPERATION_AGE_HOURS: older operations are announced as given up. null = 72."
  type        = number
  default     = null
}

variable "still_running_after_minutes" {
  description = "AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES: one still-running warning after this many minutes, 0 disables. null = 120."
  type        = number
  default     = null
}

variable "sweep_interval_seconds" {
  description = "AIDP_WATCH_SWEEP_INTERVAL_SECONDS: while operations are in progress, a scheduled poll sweeps again every this many seconds until its deadline, and track re-checks its operation backing off up to it; 0 = one sweep per call (announcements then wait for the next tick). null = 10."
  type        = number
  default     = null

  validation {
    condition     = var.sweep_interval_seconds == null || (var.sweep_interval_seconds >= 0 && var.sweep_interval_seconds <= 300)
    error_message = "sweep_interval_seconds must be 0..300."
  }
}

variable "not_found_limit" {
  description = "AIDP_WATCH_NOT_FOUND_LIMIT: consecutive 404s before an operation is announced as lost. null = 3."
  type        = number
  default     = null
}

variable "deadline_reserve_ms" {
  description = "AIDP_WATCH_DEADLINE_RESERVE_MS: stop starting new work this long before the deadline. null = 5000."
  type        = number
  default     = null
}

variable "output_prefix" {
  description = "AIDP_WATCH_OUTPUT_PREFIX: object name prefix of archived outputs. null = outputs."
  type        = string
  default     = null
}

variable "export_workspaces" {
  description = "AIDP_WATCH_EXPORT_WORKSPACES: workspaces whose finished job runs the sweep exports (workspaceKey or platformOcid/workspaceKey). [] = discovery off."
  type        = list(string)
  default     = []
}

variable "export_lookback_hours" {
  description = "AIDP_WATCH_EXPORT_LOOKBACK_HOURS: how far back the first discovery looks. null = 24."
  type        = number
  default     = null
}

variable "output_not_found_grace_minutes" {
  description = "AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES: how long after a task run ended a 404 from fetchOutput is asked again before it counts as no output. null = 60."
  type        = number
  default     = null
}

variable "max_decoded_bytes" {
  description = "AIDP_WATCH_MAX_DECODED_BYTES: largest decoded size of one output part. null = 1 GiB."
  type        = number
  default     = null
}

variable "max_expansion_ratio" {
  description = "AIDP_WATCH_MAX_EXPANSION_RATIO: decompression-bomb guard (decoded/compressed). null = 1000."
  type        = number
  default     = null
}

locals {
  handlers = ["poll", "track", "export"]

  aidp_compartment_id    = coalesce(var.aidp_compartment_id, var.compartment_id)
  failure_topic_id       = coalesce(var.failure_topic_id, oci_ons_notification_topic.this.id)
  policy_compartment_id  = coalesce(var.policy_compartment_id, var.tenancy_ocid)
  kms_key_compartment_id = coalesce(var.kms_key_compartment_id, var.compartment_id)
  namespace              = data.oci_objectstorage_namespace.this.namespace

  # The state prefix the functions write under (the schema's default when
  # unset), set explicitly so the functions and the claim-expiry rule
  # (storage.tf) cannot disagree. "" is refused by the variable's validation.
  state_prefix = var.state_prefix == null ? "aidp-watch/" : var.state_prefix

  # Bucket names are known before the buckets exist, so the Object Storage
  # service policy (which the buckets depend on) can name them without a cycle.
  state_bucket_name  = "${var.name_prefix}-state"
  output_bucket_name = "${var.name_prefix}-outputs"

  # One function per handler; every function runs the same image and picks its
  # handler from AIDP_WATCH_HANDLER (the name suffix would work too).
  functions = {
    for h in local.handlers : h => {
      name               = "${var.name_prefix}-${h}"
      memory_in_mbs      = lookup(var.function_memory_mb, h, h == "export" ? 1024 : 256)
      timeout_in_seconds = lookup(var.function_timeout_seconds, h, h == "track" ? 120 : 300)
      # Only poll is invoked on a schedule; null leaves the service default (timeout_in_seconds).
      detached_timeout_in_seconds = h == "poll" ? local.poll_detached_timeout_seconds : null
    }
  }

  # A busy poll sweeps until its work deadline (Fn-Deadline minus the reserve).
  # With a detached timeout of one schedule period plus the reserve, that work
  # deadline falls on the next tick: consecutive ticks cover the clock, and
  # they overlap only while the previous call saves and answers (the reserve).
  poll_detached_timeout_seconds = coalesce(
    var.poll_detached_timeout_seconds,
    min(3600, var.poll_interval_minutes * 60 + ceil(coalesce(var.deadline_reserve_ms, 5000) / 1000)),
  )

  # ── Function configuration ──────────────────────────────────────────────
  # Keys are exactly those of shared/config/config-schema.ts (a test compares
  # them). A null value drops the key, so the function applies the default
  # documented in the schema. AIDP_WATCH_OBJECT_STORAGE_ENDPOINT and
  # AIDP_WATCH_NOTIFICATIONS_ENDPOINT exist only to point at the local
  # emulator and are never set here.
  # OCI limit: 4 KB of config (keys + values) per function; see the
  # precondition on oci_functions_function.this.
  config_by_group = {
    # Every function.
    common = {
      AIDP_WATCH_AUTH                = "resource_principal"
      AIDP_WATCH_LOG_LEVEL           = var.log_level
      AIDP_WATCH_AIDP_ENDPOINT       = var.aidp_endpoint
      AIDP_WATCH_AIDP_CONCURRENCY    = var.aidp_concurrency == null ? null : tostring(var.aidp_concurrency)
      AIDP_WATCH_STATE_BUCKET        = oci_objectstorage_bucket.state.name
      AIDP_WATCH_STATE_PREFIX        = local.state_prefix
      AIDP_WATCH_NAMESPACE           = local.namespace
      AIDP_WATCH_DEADLINE_RESERVE_MS = var.deadline_reserve_ms == null ? null : tostring(var.deadline_reserve_ms)
    }
    # Functions that announce terminal states (poll, track).
    notify = {
      AIDP_WATCH_TOPIC_ID                  = oci_ons_notification_topic.this.id
      AIDP_WATCH_NOTIFY_STATUSES           = length(var.notify_statuses) > 0 ? join(",", var.notify_statuses) : null
      AIDP_WATCH_INCLUDE_ACTION_TYPES      = length(var.include_action_types) > 0 ? join(",", var.include_action_types) : null
      AIDP_WATCH_EXCLUDE_ACTION_TYPES      = length(var.exclude_action_types) > 0 ? join(",", var.exclude_action_types) : null
      AIDP_WATCH_INCLUDE_RESOURCE_TYPES    = length(var.include_resource_types) > 0 ? join(",", var.include_resource_types) : null
      AIDP_WATCH_EXCLUDE_RESOURCE_TYPES    = length(var.exclude_resource_types) > 0 ? join(",", var.exclude_resource_types) : null
      AIDP_WATCH_MESSAGE_FORMAT            = var.message_format
      AIDP_WATCH_DISPLAY_TIME_ZONE         = var.display_time_zone
      AIDP_WATCH_CONSOLE_URL_TEMPLATE      = var.console_url_template
      AIDP_WATCH_PUBLISH_BUDGET_PER_MINUTE = var.publish_budget_per_minute == null ? null : tostring(var.publish_budget_per_minute)
      # How soon poll (its sweep loop) and track (following) see an operation end.
      AIDP_WATCH_SWEEP_INTERVAL_SECONDS = var.sweep_interval_seconds == null ? null : tostring(var.sweep_interval_seconds)
    }
    # The sweep (poll): discovery of operations and of job runs to export, and
    # the rules for operations that never finish.
    sweep = {
      AIDP_WATCH_MAX_OPERATION_AGE_HOURS        = var.max_operation_age_hours == null ? null : tostring(var.max_operation_age_hours)
      AIDP_WATCH_NOT_FOUND_LIMIT                = var.not_found_limit == null ? null : tostring(var.not_found_limit)
      AIDP_WATCH_STILL_RUNNING_AFTER_MINUTES    = var.still_running_after_minutes == null ? null : tostring(var.still_running_after_minutes)
      AIDP_WATCH_PLATFORM_IDS                   = length(var.platform_ids) > 0 ? join(",", var.platform_ids) : null
      AIDP_WATCH_RESOURCE_TYPES                 = length(var.resource_types) > 0 ? join(",", var.resource_types) : null
      AIDP_WATCH_FILTER_BY_CALLING_PRINCIPAL    = var.filter_by_calling_principal == null ? null : tostring(var.filter_by_calling_principal)
      AIDP_WATCH_EXPORT_WORKSPACES              = length(var.export_workspaces) > 0 ? join(",", var.export_workspaces) : null
      AIDP_WATCH_EXPORT_LOOKBACK_HOURS          = var.export_lookback_hours == null ? null : tostring(var.export_lookback_hours)
      AIDP_WATCH_OUTPUT_NOT_FOUND_GRACE_MINUTES = var.output_not_found_grace_minutes == null ? null : tostring(var.output_not_found_grace_minutes)
    }
    # Scaling (scaling.tf): platforms found by compartment, the sweep in shards.
    scale = {
      AIDP_WATCH_COMPARTMENT_IDS        = length(var.compartment_ids) > 0 ? join(",", var.compartment_ids) : null
      AIDP_WATCH_CONTROL_PLANE_ENDPOINT = var.aidp_control_plane_endpoint
      AIDP_WATCH_SHARDS                 = var.shards == 1 ? null : tostring(var.shards)
      AIDP_WATCH_INVOKE_ENDPOINT        = var.poll_invoke_endpoint
    }
    # Archiving task-run outputs (export, and the sweep when it exports).
    export = {
      AIDP_WATCH_OUTPUT_BUCKET       = oci_objectstorage_bucket.outputs.name
      AIDP_WATCH_OUTPUT_PREFIX       = var.output_prefix
      AIDP_WATCH_MAX_DECODED_BYTES   = var.max_decoded_bytes == null ? null : tostring(var.max_decoded_bytes)
      AIDP_WATCH_MAX_EXPANSION_RATIO = var.max_expansion_ratio == null ? null : tostring(var.max_expansion_ratio)
      AIDP_WATCH_VIEWER_LINK_HOURS   = var.viewer_link_hours == null ? null : tostring(var.viewer_link_hours) # viewer-links.tf
    }
  }

  config_groups = {
    poll   = ["common", "notify", "sweep", "export", "scale"]
    track  = ["common", "notify"]
    export = ["common", "export"]
  }

  # Keys each function sets for itself.
  config_own = {
    for h in local.handlers : h => {
      AIDP_WATCH_HANDLER = h
      # Budget of a call without Fn-Deadline (direct invocations): the function's timeout.
      AIDP_WATCH_DEFAULT_TIMEOUT_MS = tostring(local.functions[h].timeout_in_seconds * 1000)
    }
  }

  function_config = {
    for h, groups in local.config_groups : h => {
      for k, v in merge(concat([for g in groups : local.config_by_group[g]], [local.config_own[h]])...) : k => v
      if v != null
    }
  }

  # Events rules are optional: one per handler whose condition is set.
  event_rules = {
    for h, condition in { track = var.track_event_condition, export = var.export_event_condition } : h => condition
    if condition != null
  }
}

data "oci_objectstorage_namespace" "this" {
  compartment_id = var.tenancy_ocid
}

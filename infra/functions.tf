# ── Functions application and one function per handler ───────────────────────

resource "oci_functions_application" "this" {
  compartment_id = var.compartment_id
  display_name   = var.name_prefix
  subnet_ids     = var.subnet_ids
  # The processor architecture the functions run on; the image must be built
  # for it (`npm run deploy` builds linux/amd64 for GENERIC_X86, see
  # docs/deploy.md). Changing it replaces the application.
  shape = var.application_shape
  # No application config: every key is set per function (locals.tf), so each
  # function's configuration is visible in one place.
}

resource "oci_functions_function" "this" {
  for_each = local.functions

  application_id     = oci_functions_application.this.id
  display_name       = each.value.name
  image              = "${var.ocir_registry}/${each.value.name}:${var.image_tag}"
  memory_in_mbs      = each.value.memory_in_mbs
  timeout_in_seconds = each.value.timeout_in_seconds
  config             = local.function_config[each.key]

  # Resource Scheduler (and Events) invoke functions *detached*: such a call
  # is limited by detached_mode_timeout_in_seconds, not timeout_in_seconds,
  # and its outcome never reaches the caller. Only poll is run by the
  # schedule; for the others the service default applies.
  detached_mode_timeout_in_seconds = each.value.detached_timeout_in_seconds

  # Where Functions sends the record of a failed detached call: without it a
  # crashing scheduled poll is seen only in the invoke log.
  failure_destination {
    kind     = "NOTIFICATION"
    topic_id = local.failure_topic_id
  }

  lifecycle {
    # Terraform creates the functions with var.image_tag; afterwards
    # `npm run deploy` (fn deploy) owns the image. Without this, the next
    # apply would roll every function back to the first image.
    ignore_changes = [image, image_digest]

    precondition {
      # OCI rejects more than 4 KB of configuration (keys + values) per function.
      condition     = length(join("", [for k, v in local.function_config[each.key] : "${k}${v}"])) <= 4096
      error_message = "The configuration of ${each.value.name} exceeds the 4 KB OCI Functions limit; shorten the lists (platform_ids, export_workspaces, ...)."
    }
  }
}

# ── Logs: the functions' stdout/stderr ──────────────────────────────────────

resource "oci_logging_log_group" "this" {
  count = var.enable_invoke_logs ? 1 : 0

  compartment_id = var.compartment_id
  display_name   = "${var.name_prefix}-logs"
  description    = "Logs of the ${var.name_prefix} functions."
}

resource "oci_logging_log" "invoke" {
  count = var.enable_invoke_logs ? 1 : 0

  display_name       = "${var.name_prefix}-invoke"
  log_group_id       = oci_logging_log_group.this[0].id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days

  configuration {
    compartment_id = var.compartment_id

    source {
      source_type = "OCISERVICE"
      service     = "functions"
      category    = "invoke"
      resource    = oci_functions_application.this.id
    }
  }
}

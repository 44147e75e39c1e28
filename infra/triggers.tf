# ── Triggers: the poll schedule and the optional Events rules ──────────────

# Resource Scheduler runs the poll function every N minutes (action
# START_RESOURCE on a function = invoke it). It is authorized by the
# `resourceschedule` statement in iam.tf, which names this schedule's OCID:
# the policy depends on the schedule, never the other way round, so there is
# no cycle. IAM takes a minute or so to propagate, so the first tick after a
# fresh apply may fail; the next one succeeds.
resource "oci_resource_scheduler_schedule" "poll" {
  compartment_id     = var.compartment_id
  display_name       = "${var.name_prefix}-poll"
  description        = "Invokes ${oci_functions_function.this["poll"].display_name} every ${var.poll_interval_minutes} minutes."
  action             = "START_RESOURCE"
  recurrence_type    = "CRON"
  recurrence_details = "*/${var.poll_interval_minutes} * * * *"
  state              = var.poll_schedule_enabled ? "ACTIVE" : "INACTIVE"

  resources {
    id = oci_functions_function.this["poll"].id
  }
}

# AI Data Platform documents no OCI Events types, so these rules are off by
# default (condition null). When you know an event type, set e.g.
#   track_event_condition = jsonencode({ eventType = ["com.oraclecloud.aidataplatform.<type>"] })
# Rules match events of their compartment and its children: they live in the
# AIDP compartment.
resource "oci_events_rule" "this" {
  for_each = local.event_rules

  compartment_id = local.aidp_compartment_id
  display_name   = "${var.name_prefix}-${each.key}"
  description    = "Invokes ${oci_functions_function.this[each.key].display_name} on matching AI Data Platform events."
  is_enabled     = true
  condition      = each.value

  # `actions { action { … } }`: the nested `actions` block is deprecated
  # since provider 8.22.0.
  actions {
    action {
      action_type = "FAAS"
      is_enabled  = true
      function_id = oci_functions_function.this[each.key].id
      description = "Invoke ${oci_functions_function.this[each.key].display_name}."
    }
  }
}

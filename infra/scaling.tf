# ── Scaling: platforms found by compartment, and the sweep in shards ─────────
# Everything for AIDP_WATCH_COMPARTMENT_IDS and AIDP_WATCH_SHARDS lives here
# (variables, the poll-only dynamic group, the policy); the keys themselves are
# in the `scale` group of local.config_by_group (locals.tf). See README
# "Scaling" and docs/deploy.md.

variable "compartment_ids" {
  description = "AIDP_WATCH_COMPARTMENT_IDS: compartments whose ACTIVE AI Data Platforms poll watches as well as platform_ids (listed through the AIDP control plane, cached 5 minutes; a platform tagged aidp-watch=off is skipped). Only the compartments themselves, not their sub-compartments. policy_compartment_id must contain them."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.compartment_ids : can(regex("^[a-z0-9]+\\.(compartment|tenancy)\\.", c))])
    error_message = "compartment_ids: give compartment (or tenancy) OCIDs."
  }
}

variable "aidp_control_plane_endpoint" {
  description = "AIDP_WATCH_CONTROL_PLANE_ENDPOINT: AIDP control-plane endpoint override (https://…), or null for the region's default."
  type        = string
  default     = null
}

variable "shards" {
  description = "AIDP_WATCH_SHARDS: above 1, each scheduled poll invokes this many detached poll calls (one shard of the platforms each) and returns. Set it once one invocation no longer sweeps every platform well within the poll timeout (README \"Scaling\"); it needs poll_invoke_endpoint."
  type        = number
  default     = 1

  validation {
    condition     = var.shards >= 1 && var.shards <= 100 && floor(var.shards) == var.shards
    error_message = "shards: an integer from 1 to 100."
  }
}

variable "poll_invoke_endpoint" {
  description = "AIDP_WATCH_INVOKE_ENDPOINT: the poll function's own invoke endpoint, which the fan-out calls. A function's config cannot refer to its own invoke_endpoint (a cycle), so: apply with shards = 1, then set this to `terraform output -json function_invoke_endpoints` → poll, and set shards."
  type        = string
  default     = null
}

locals {
  sharded = var.shards > 1
}

# Fan-out needs the endpoint; fail the plan, not every poll call.
resource "terraform_data" "shards_need_invoke_endpoint" {
  lifecycle {
    precondition {
      condition     = var.shards == 1 || var.poll_invoke_endpoint != null
      error_message = "shards > 1 needs poll_invoke_endpoint: apply once with shards = 1, then set poll_invoke_endpoint to the poll entry of the function_invoke_endpoints output."
    }
  }
}

# The poll function alone, by OCID: the subject of its permission to invoke itself.
resource "oci_identity_dynamic_group" "poll" {
  count    = local.sharded ? 1 : 0
  provider = oci.home

  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-poll"
  description    = "The ${var.name_prefix} poll function (its resource principal invokes its own shards)."
  matching_rule  = "ANY {resource.id = '${oci_functions_function.this["poll"].id}'}"
}

resource "oci_identity_policy" "scaling" {
  count    = length(var.compartment_ids) > 0 || local.sharded ? 1 : 0
  provider = oci.home

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-scaling"
  description    = "Lets the ${var.name_prefix} functions list and read the AI Data Platforms of the watched compartments, and poll invoke its own shards."
  statements = concat(
    # ListAiDataPlatforms: `inspect ai-data-platforms` (the AIDP IAM resource
    # type, https://docs.oracle.com/en/cloud/paas/ai-data-platform/aidug/iam-policies-oracle-ai-data-platform.html),
    # in exactly these compartments.
    [for c in var.compartment_ids : "Allow ${local.functions_subject} to inspect ai-data-platforms in compartment id ${c}"],
    # Sweeping a platform found there reads its async operations (data plane),
    # which needs `use`, as for the platforms of aidp_compartment_id (iam.tf).
    [for c in var.compartment_ids : "Allow ${local.functions_subject} to use ai-data-platforms in compartment id ${c}"],
    # Invoking: only poll, only poll itself.
    local.sharded ? ["Allow dynamic-group id ${oci_identity_dynamic_group.poll[0].id} to use fn-invocation in compartment id ${var.compartment_id} where target.function.id = '${oci_functions_function.this["poll"].id}'"] : [],
  )
}

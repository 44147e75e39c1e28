# ── IAM: who may do what, and nothing more ──────────────────────────────────
# Identity resources are written in the home region (provider oci.home).
# Subjects are referenced by OCID (`dynamic-group id …`), which also works in
# tenancies with identity domains. No statement uses `all-resources`; `manage`
# appears only where `use` does not grant what is needed (noted inline).

# Exactly the three functions, by OCID, not "every function in the compartment".
resource "oci_identity_dynamic_group" "functions" {
  provider = oci.home

  compartment_id = var.tenancy_ocid
  name           = "${var.name_prefix}-functions"
  description    = "The ${var.name_prefix} functions (resource principal of poll, track and export)."
  matching_rule  = "ANY {${join(", ", [for h in local.handlers : "resource.id = '${oci_functions_function.this[h].id}'"])}}"
}

locals {
  functions_subject = "dynamic-group id ${oci_identity_dynamic_group.functions.id}"
}

# What the functions' resource principal may do.
resource "oci_identity_policy" "functions" {
  provider = oci.home

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-functions"
  description    = "Lets the ${var.name_prefix} functions publish to their topic, keep state and outputs in their buckets, and read AI Data Platform operations."
  statements = [
    # Publish only. ONS supports only the general policy variables (no
    # target.topic.id), so the statement is scoped to the compartment and to
    # the ONS_TOPIC_PUBLISH permission: no subscribing, no topic changes.
    # Keep other teams' topics out of this compartment to make it exact.
    "Allow ${local.functions_subject} to use ons-topics in compartment id ${var.compartment_id} where request.permission = 'ONS_TOPIC_PUBLISH'",
    # `manage` because creating an object needs OBJECT_CREATE, which `use
    # objects` lacks (it only overwrites). One bucket per statement.
    "Allow ${local.functions_subject} to manage objects in compartment id ${var.compartment_id} where target.bucket.name = '${local.state_bucket_name}'",
    "Allow ${local.functions_subject} to manage objects in compartment id ${var.compartment_id} where target.bucket.name = '${local.output_bucket_name}'",
    # Read async operations, task runs and their outputs (the AIDP user verb).
    # AIDP also has in-product roles; see docs/deploy.md.
    "Allow ${local.functions_subject} to use ai-data-platforms in compartment id ${local.aidp_compartment_id}",
  ]
}

# Object Storage runs the lifecycle rules (and encrypts with the Vault key) as
# its own service principal.
resource "oci_identity_policy" "object_storage_service" {
  provider = oci.home

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-object-storage"
  description    = "Lets Object Storage apply the ${var.name_prefix} lifecycle rules (and use the bucket key)."
  statements = concat(
    [
      # Lifecycle deletion and multipart abort need `manage object-family`
      # (the documented service grant), restricted to our two buckets.
      "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_id} where any {target.bucket.name = '${local.state_bucket_name}', target.bucket.name = '${local.output_bucket_name}'}",
    ],
    var.kms_key_id == null ? [] : [
      "Allow service objectstorage-${var.region} to use keys in compartment id ${local.kms_key_compartment_id} where target.key.id = '${var.kms_key_id}'",
    ],
  )
}

# Who may invoke the functions: the poll schedule and, when rules exist, Events.
resource "oci_identity_policy" "invokers" {
  provider = oci.home

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-invokers"
  description    = "Lets the ${var.name_prefix} poll schedule (and Events rules, if any) invoke the functions."
  statements = concat(
    [
      # Only this one schedule (its OCID); `use` covers invoking.
      "Allow any-user to use functions-family in compartment id ${var.compartment_id} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.poll.id}'}",
    ],
    length(local.event_rules) == 0 ? [] : [
      # The documented Events grant; it covers the functions of this compartment.
      "Allow service cloudEvents to use functions-family in compartment id ${var.compartment_id}",
    ],
  )
}

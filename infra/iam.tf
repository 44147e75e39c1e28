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

  # The object permissions the functions use, and nothing else
  # (objectstoragepolicyreference.htm lists each API's permission):
  # OBJECT_INSPECT  ListObjects, HeadObject (state index, claims, probes)
  # OBJECT_READ     GetObject (state records, claims)
  # OBJECT_CREATE   PutObject of a new name (if-none-match: *), multipart uploads
  # OBJECT_OVERWRITE PutObject over an existing name (if-match: <etag>)
  # OBJECT_DELETE   DeleteObject (finished operations, doctor's probe),
  #                 AbortMultipartUpload (a failed large output)
  # `manage objects` would add OBJECT_VERSION_DELETE (purging the versions
  # that make a bad write recoverable), OBJECT_RESTORE and OBJECT_UPDATE_TIER.
  object_permissions          = ["OBJECT_INSPECT", "OBJECT_READ", "OBJECT_CREATE", "OBJECT_OVERWRITE", "OBJECT_DELETE"]
  object_permission_condition = "any {${join(", ", [for p in local.object_permissions : "request.permission = '${p}'"])}}"

  failure_topic_compartment_id = coalesce(var.failure_topic_compartment_id, var.compartment_id)
}

# What the functions' resource principal may do.
resource "oci_identity_policy" "functions" {
  provider = oci.home

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-functions"
  description    = "Lets the ${var.name_prefix} functions publish to their topic, keep state and outputs in their buckets, and read AI Data Platform operations."
  statements = concat(
    [
      # Publish only. ONS supports only the general policy variables (no
      # target.topic.id), so the statement is scoped to the compartment and to
      # the ONS_TOPIC_PUBLISH permission: no subscribing, no topic changes.
      # Keep other teams' topics out of this compartment to make it exact.
      "Allow ${local.functions_subject} to use ons-topics in compartment id ${var.compartment_id} where request.permission = 'ONS_TOPIC_PUBLISH'",
      # `manage` is the verb that holds OBJECT_CREATE and OBJECT_DELETE; the
      # request.permission list narrows it to what the functions do (above).
      # One bucket per statement.
      "Allow ${local.functions_subject} to manage objects in compartment id ${var.compartment_id} where all {target.bucket.name = '${local.state_bucket_name}', ${local.object_permission_condition}}",
      "Allow ${local.functions_subject} to manage objects in compartment id ${var.compartment_id} where all {target.bucket.name = '${local.output_bucket_name}', ${local.object_permission_condition}}",
      # Read async operations, task runs and their outputs (the AIDP user verb).
      # AIDP also has in-product roles; see docs/deploy.md.
      "Allow ${local.functions_subject} to use ai-data-platforms in compartment id ${local.aidp_compartment_id}",
    ],
    # The failure destination of detached calls (functions.tf), when its topic
    # lives in another compartment. Assumed, not documented: that Functions
    # delivers the record with the function's own principal.
    local.failure_topic_compartment_id == var.compartment_id ? [] : [
      "Allow ${local.functions_subject} to use ons-topics in compartment id ${local.failure_topic_compartment_id} where request.permission = 'ONS_TOPIC_PUBLISH'",
    ],
  )
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

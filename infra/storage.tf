# ── Buckets: tracking state and archived outputs ────────────────────────────

resource "oci_objectstorage_bucket" "state" {
  compartment_id = var.compartment_id
  namespace      = local.namespace
  name           = local.state_bucket_name
  access_type    = "NoPublicAccess"
  versioning     = "Enabled"
  kms_key_id     = var.kms_key_id
  storage_tier   = "Standard"

  # Encrypting with a Vault key needs the Object Storage service to use it.
  depends_on = [oci_identity_policy.object_storage_service]
}

resource "oci_objectstorage_bucket" "outputs" {
  compartment_id = var.compartment_id
  namespace      = local.namespace
  name           = local.output_bucket_name
  access_type    = "NoPublicAccess"
  versioning     = "Enabled"
  kms_key_id     = var.kms_key_id
  storage_tier   = "Standard"

  depends_on = [oci_identity_policy.object_storage_service]
}

# Lifecycle policies are executed by the Object Storage service itself, which
# needs the service policy in iam.tf; creating them before it fails.
resource "oci_objectstorage_object_lifecycle_policy" "outputs" {
  namespace = local.namespace
  bucket    = oci_objectstorage_bucket.outputs.name

  rules {
    name        = "expire-outputs"
    action      = "DELETE"
    is_enabled  = true
    target      = "objects"
    time_amount = var.output_retention_days
    time_unit   = "DAYS"
  }

  rules {
    name        = "expire-previous-versions"
    action      = "DELETE"
    is_enabled  = true
    target      = "previous-object-versions"
    time_amount = var.previous_version_retention_days
    time_unit   = "DAYS"
  }

  rules {
    name        = "abort-stale-multipart-uploads"
    action      = "ABORT"
    is_enabled  = true
    target      = "multipart-uploads"
    time_amount = 7
    time_unit   = "DAYS"
  }

  depends_on = [oci_identity_policy.object_storage_service]
}

# State objects are rewritten on every sweep; versioning keeps the history for
# a few days (to recover from a bad deploy), not forever.
resource "oci_objectstorage_object_lifecycle_policy" "state" {
  namespace = local.namespace
  bucket    = oci_objectstorage_bucket.state.name

  rules {
    name        = "expire-previous-versions"
    action      = "DELETE"
    is_enabled  = true
    target      = "previous-object-versions"
    time_amount = var.previous_version_retention_days
    time_unit   = "DAYS"
  }

  # One small claim object is written per announcement and never deleted by
  # the functions (it is the dedupe record); once the operation is long out of
  # tracking it serves no purpose.
  rules {
    name        = "expire-announcement-claims"
    action      = "DELETE"
    is_enabled  = true
    target      = "objects"
    time_amount = var.announcement_claim_retention_days
    time_unit   = "DAYS"

    object_name_filter {
      # Exactly where the functions write claims (shared/watch/state-paths.ts).
      inclusion_prefixes = ["${local.state_prefix}announcements/"]
    }
  }

  lifecycle {
    precondition {
      # A claim deleted while its operation is still tracked could let a
      # restarted claim race publish twice; keep claims past the age-out.
      condition     = var.announcement_claim_retention_days * 24 > coalesce(var.max_operation_age_hours, 72)
      error_message = "announcement_claim_retention_days must cover max_operation_age_hours."
    }
  }

  depends_on = [oci_identity_policy.object_storage_service]
}

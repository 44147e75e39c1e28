# Viewer links (issue 17): job-run notifications link each archived output's
# viewer (`index.html` beside its manifest) through a pre-authenticated
# request: read-only (ObjectRead), one object, expiring after
# `viewer_link_hours`. Off by default. The key reaches the functions through
# the `export` group of local.config_by_group (locals.tf).

variable "viewer_link_hours" {
  description = "AIDP_WATCH_VIEWER_LINK_HOURS: job-run notifications link each output's viewer through a read-only pre-authenticated request to that one object, valid this many hours. null = no links (and no PAR_MANAGE grant)."
  type        = number
  default     = null
  validation {
    condition     = var.viewer_link_hours == null || (var.viewer_link_hours >= 1 && var.viewer_link_hours <= 8784)
    error_message = "viewer_link_hours must be between 1 and 8784 (366 days), or null."
  }
}

# Creating a PAR needs PAR_MANAGE on the target bucket (a `buckets`
# permission), nothing else: only that permission, only the output bucket.
# The link reads with its creator's rights, which the functions already have
# on that bucket (iam.tf: objects of the output bucket).
resource "oci_identity_policy" "viewer_links" {
  count    = var.viewer_link_hours == null ? 0 : 1
  provider = oci.home

  compartment_id = local.policy_compartment_id
  name           = "${var.name_prefix}-viewer-links"
  description    = "Lets the ${var.name_prefix} functions create read-only links to archived outputs' viewers in their output bucket."
  statements = [
    "Allow ${local.functions_subject} to manage buckets in compartment id ${var.compartment_id} where all {target.bucket.name = '${local.output_bucket_name}', request.permission = 'PAR_MANAGE'}",
  ]
}

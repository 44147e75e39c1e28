# Provider requirements. `terraform validate` needs `terraform init`, which
# downloads the oracle/oci provider; CI cannot reach the registry, so it runs
# only `terraform fmt -check` and the HCL tests in test/unit/deploy.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    oci = {
      source = "oracle/oci"
      # 8.22.0: oci_events_rule's `actions { action { … } }` (the older
      # `actions { actions { … } }` is deprecated); 7.21.0 already brought
      # detached_mode_timeout_in_seconds and failure_destination on functions.
      # Below 9: a major release may rename what this module uses.
      version = ">= 8.22.0, < 9.0.0"
    }
  }
}

# Authentication comes from the usual places (~/.oci/config profile, or the
# TF_VAR_* / OCI_* environment): nothing secret lives in this module.
provider "oci" {
  region = var.region
}

# Identity resources (dynamic group, policies) can only be written in the
# tenancy's home region; elsewhere the API answers 403 "NotAllowed".
provider "oci" {
  alias  = "home"
  region = coalesce(var.home_region, var.region)
}

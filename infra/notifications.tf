# ── Notifications: one topic, email and Slack subscriptions ─────────────────

resource "oci_ons_notification_topic" "this" {
  compartment_id = var.compartment_id
  # Topic names are unique in the tenancy, not just the compartment.
  name        = "${var.name_prefix}-announcements"
  description = "Terminal states of AI Data Platform operations and task runs, announced by ${var.name_prefix}."
}

# Each subscription stays PENDING until its confirmation link is followed.
resource "oci_ons_subscription" "email" {
  for_each = toset(var.notification_emails)

  compartment_id = var.compartment_id
  topic_id       = oci_ons_notification_topic.this.id
  protocol       = "EMAIL"
  endpoint       = each.value
}

# The Slack webhook URL is a secret. It comes from an OCI Vault secret (read on
# every plan, so any shell with access to the Vault can apply) or from a
# var-file kept outside the repository. Whether the subscription exists is
# decided by slack_enabled alone: an apply from a shell without the URL fails
# on the precondition below instead of planning to delete the subscription.
# Either way the URL ends up in the Terraform state in plain text: keep the
# state in an encrypted remote backend (docs/deploy.md).
data "oci_secrets_secretbundle" "slack_webhook" {
  count = var.slack_enabled && var.slack_webhook_secret_id != null ? 1 : 0

  secret_id = var.slack_webhook_secret_id
}

locals {
  slack_webhook_url = sensitive(
    var.slack_webhook_secret_id != null
    ? try(base64decode(data.oci_secrets_secretbundle.slack_webhook[0].secret_bundle_content[0].content), "")
    : (var.slack_webhook_url == null ? "" : var.slack_webhook_url)
  )
}

resource "oci_ons_subscription" "slack" {
  count = var.slack_enabled ? 1 : 0

  compartment_id = var.compartment_id
  topic_id       = oci_ons_notification_topic.this.id
  protocol       = "SLACK"
  endpoint       = local.slack_webhook_url

  lifecycle {
    precondition {
      # Only whether it looks like a URL is revealed, never the URL.
      condition     = nonsensitive(startswith(local.slack_webhook_url, "https://"))
      error_message = "slack_enabled = true but no Slack webhook URL (https://hooks.slack.com/services/…) was given: set slack_webhook_secret_id, or pass -var-file=<your file outside the repository> with slack_webhook_url. Refusing to plan rather than delete the Slack subscription."
    }
  }
}

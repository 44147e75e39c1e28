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

resource "oci_ons_subscription" "slack" {
  # count may not depend on a sensitive value; whether it is set is not secret.
  count = nonsensitive(var.slack_webhook_url != null) ? 1 : 0

  compartment_id = var.compartment_id
  topic_id       = oci_ons_notification_topic.this.id
  protocol       = "SLACK"
  endpoint       = var.slack_webhook_url
}

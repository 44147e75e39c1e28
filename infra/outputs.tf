output "application_name" {
  description = "Functions application name: pass it to `npm run deploy -- --app <name>`."
  value       = oci_functions_application.this.display_name
}

output "application_id" {
  description = "Functions application OCID."
  value       = oci_functions_application.this.id
}

output "function_ids" {
  description = "Function OCIDs by handler (poll, track, export)."
  value       = { for h, f in oci_functions_function.this : h => f.id }
}

output "function_invoke_endpoints" {
  description = "Invoke endpoints by handler (for `oci fn function invoke`)."
  value       = { for h, f in oci_functions_function.this : h => f.invoke_endpoint }
}

output "topic_id" {
  description = "ONS topic the functions publish to."
  value       = oci_ons_notification_topic.this.id
}

output "subscription_ids" {
  description = "Subscriptions (each PENDING until confirmed)."
  value = merge(
    { for e, s in oci_ons_subscription.email : e => s.id },
    { for s in oci_ons_subscription.slack : "slack" => s.id },
  )
}

output "namespace" {
  description = "Object Storage namespace."
  value       = local.namespace
}

output "state_bucket" {
  description = "Bucket holding tracking state."
  value       = oci_objectstorage_bucket.state.name
}

output "output_bucket" {
  description = "Bucket holding archived task-run outputs."
  value       = oci_objectstorage_bucket.outputs.name
}

output "poll_schedule_id" {
  description = "Resource Scheduler schedule that invokes poll."
  value       = oci_resource_scheduler_schedule.poll.id
}

output "event_rule_ids" {
  description = "Events rules by handler (empty unless a condition was set)."
  value       = { for h, r in oci_events_rule.this : h => r.id }
}

output "dynamic_group_id" {
  description = "Dynamic group of the three functions."
  value       = oci_identity_dynamic_group.functions.id
}

output "invoke_log_id" {
  description = "Functions invoke log (null when enable_invoke_logs = false)."
  value       = one(oci_logging_log.invoke[*].id)
}

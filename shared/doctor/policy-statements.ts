/**
 * The IAM statements a `doctor` fix proposes, written exactly as infra/iam.tf
 * writes them (a test compares the object permissions with Terraform's list),
 * for the principal doctor ran as: the functions' dynamic group (resource
 * principal) or the group of the API-key user.
 */
export const OBJECT_PERMISSIONS = ["OBJECT_INSPECT", "OBJECT_READ", "OBJECT_CREATE", "OBJECT_OVERWRITE", "OBJECT_DELETE"] as const;

/** Who a statement grants to: `dynamic-group id …` or `group …`, placeholders in angle brackets. */
export type PolicySubject = string;

export function subjectFor(principal: { kind: string; user?: string | undefined }): PolicySubject {
  if (principal.kind === "resource_principal") return "dynamic-group id <the functions' dynamic group: terraform output dynamic_group_id>";
  if (principal.kind === "instance_principal") return "dynamic-group id <a dynamic group matching this instance>";
  return `group <a group of user ${principal.user ?? "<the profile's user>"}>`;
}

export function objectGrant(subject: PolicySubject, bucket: string): string {
  const permissions = OBJECT_PERMISSIONS.map((p) => `request.permission = '${p}'`).join(", ");
  return `Allow ${subject} to manage objects in compartment id <compartment of bucket ${bucket}> where all {target.bucket.name = '${bucket}', any {${permissions}}}`;
}

export function aidpGrant(subject: PolicySubject, platformId: string): string {
  return `Allow ${subject} to use ai-data-platforms in compartment id <compartment of ${platformId}>`;
}

export function publishGrant(subject: PolicySubject): string {
  return `Allow ${subject} to use ons-topics in compartment id <compartment of the topic> where request.permission = 'ONS_TOPIC_PUBLISH'`;
}

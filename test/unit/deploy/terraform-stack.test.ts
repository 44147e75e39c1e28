// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (`${var.x}`) are the expected literal text here.
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "@cdktf/hcl2json";
import { loadConfig } from "../../../shared/config/load-config.js";
import { OBJECT_PERMISSIONS } from "../../../shared/doctor/policy-statements.js";
import { allSource, blocks, loadInfra, locals, nested, resource, statements, type TfFile, variables } from "./infra-files.js";

// The stack can't be `terraform validate`d offline (no provider download), so
// these tests pin what a reviewer would check: every resource is there, wired
// to the others by reference, and the IAM is as narrow as documented.

let files: TfFile[] = [];
beforeAll(async () => {
  files = await loadInfra();
});

describe("infra/ HCL", () => {
  it("parses every file, and the parser does reject broken HCL", async () => {
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "functions.tf",
        "iam.tf",
        "locals.tf",
        "notifications.tf",
        "outputs.tf",
        "storage.tf",
        "triggers.tf",
        "variables.tf",
        "versions.tf",
      ]),
    );
    await expect(parse("bad.tf", 'resource "x" "y" {\n  a = \n}\n')).rejects.toThrow();
  });

  it("pins the oracle/oci provider and writes IAM in the home region", () => {
    const src = allSource(files);
    expect(src).toMatch(/source\s*=\s*"oracle\/oci"/);
    // 8.22.0 brought `actions { action {} }` on oci_events_rule (7.21.0 the
    // detached timeout and failure destination); 9 may rename what we use.
    expect(src).toMatch(/version\s*=\s*">= 8\.22\.0, < 9\.0\.0"/);
    for (const name of ["functions", "object_storage_service", "invokers"]) {
      expect(resource(files, "oci_identity_policy", name).provider).toBe("${oci.home}");
    }
    expect(resource(files, "oci_identity_dynamic_group", "functions").provider).toBe("${oci.home}");
  });

  it("contains no hard-coded OCIDs, tenancy namespaces or regions", () => {
    const src = allSource(files);
    expect(src).not.toMatch(/ocid1\./);
    // Descriptions and comments may name an example region; code may not.
    const code = src
      .split("\n")
      .filter((line) => !/^\s*(#|description\s*=|error_message\s*=)/.test(line))
      .join("\n");
    expect(code).not.toMatch(/\b[a-z]{2,3}-[a-z]+-\d\b/); // e.g. us-ashburn-1
    expect(code).not.toMatch(/\.ocir\.io/);
  });

  it("declares every variable it uses and uses every variable it declares", () => {
    const declared = new Set(variables(files).keys());
    const src = allSource(files);
    const used = new Set([...src.matchAll(/\bvar\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1] as string));
    expect([...used].filter((v) => !declared.has(v))).toEqual([]);
    expect([...declared].filter((v) => !used.has(v))).toEqual([]);
    const defined = new Set(Object.keys(locals(files)));
    const usedLocals = new Set([...src.matchAll(/\blocal\.([a-z_][a-z0-9_]*)/g)].map((m) => m[1] as string));
    expect([...usedLocals].filter((l) => !defined.has(l))).toEqual([]);
  });

  it("marks the Slack webhook URL sensitive and validates memory, timeout, the poll interval and the detached timeout", () => {
    const vars = variables(files);
    expect(vars.get("slack_webhook_url")?.sensitive).toBe(true);
    const src = allSource(files);
    expect(src).toContain("[128, 256, 512, 1024, 2048, 3072]");
    expect(src).toMatch(/v >= 5 && v <= 300/);
    expect(vars.get("poll_interval_minutes")?.validation).toBeDefined();
    // null = computed from the schedule (locals.tf); a set value must be 5..3600.
    expect(vars.get("poll_detached_timeout_seconds")?.default).toBeNull();
    expect(String(nested(vars.get("poll_detached_timeout_seconds") ?? {}, "validation").condition)).toBe(
      "${var.poll_detached_timeout_seconds == null || (var.poll_detached_timeout_seconds >= 5 && var.poll_detached_timeout_seconds <= 3600)}",
    );
  });

  it("validates state_prefix: ending with /, never empty (the claim-expiry rule and the functions share it)", () => {
    const v = nested(variables(files).get("state_prefix") ?? {}, "validation");
    const m = /regex\("(.+)", var\.state_prefix\)/.exec(String(v.condition));
    expect(m, String(v.condition)).not.toBeNull();
    // HCL escapes backslashes like JSON; this pattern has none.
    const re = new RegExp(m?.[1] ?? "^$");
    for (const ok of ["aidp-watch/", "team/a/", "x/", `${"a".repeat(199)}/`]) expect(re.test(ok), ok).toBe(true);
    // "" would reach a function as unset (aidp-watch/) while the rule filtered on "announcements/".
    for (const bad of ["", "aidp-watch", "/", "/abs/", "a", `${"a".repeat(200)}/`]) expect(re.test(bad), bad).toBe(false);
    // The functions' schema agrees, and reads "" as unset.
    expect(loadConfig({ AIDP_WATCH_STATE_PREFIX: "" }).AIDP_WATCH_STATE_PREFIX).toBe("aidp-watch/");
    expect(() => loadConfig({ AIDP_WATCH_STATE_PREFIX: "aidp-watch" })).toThrow(/end with \//);
    expect(String(v.condition)).toContain("var.state_prefix == null ||");
  });
});

describe("functions", () => {
  it("creates the application on the given subnets and one function per handler", () => {
    const app = resource(files, "oci_functions_application", "this");
    expect(app.subnet_ids).toBe("${var.subnet_ids}");
    expect(app.compartment_id).toBe("${var.compartment_id}");
    const fn = resource(files, "oci_functions_function", "this");
    expect(fn.for_each).toBe("${local.functions}");
    expect(fn.application_id).toBe("${oci_functions_application.this.id}");
    expect(fn.memory_in_mbs).toBe("${each.value.memory_in_mbs}");
    expect(fn.timeout_in_seconds).toBe("${each.value.timeout_in_seconds}");
    expect(fn.config).toBe("${local.function_config[each.key]}");
    expect(app.shape).toBe("${var.application_shape}");
    expect(variables(files).get("application_shape")?.default).toBe("GENERIC_X86");
    expect(fn.image).toBe("${var.ocir_registry}/${each.value.name}:${var.image_tag}");
    expect(locals(files).handlers).toEqual(["poll", "track", "export"]);
  });

  it("bounds poll's detached (scheduled) calls, sized to the schedule period plus the deadline reserve, and sends failed detached calls to a Notifications topic", () => {
    const fn = resource(files, "oci_functions_function", "this");
    expect(fn.detached_mode_timeout_in_seconds).toBe("${each.value.detached_timeout_in_seconds}");
    const l = locals(files);
    expect(String(l.functions)).toContain('detached_timeout_in_seconds = h == "poll" ? local.poll_detached_timeout_seconds : null');
    // A busy poll sweeps until its work deadline: that falls on the next tick, so busy ticks cover the clock.
    const sized = String(l.poll_detached_timeout_seconds).replace(/\s+/g, " ");
    expect(sized).toContain("var.poll_detached_timeout_seconds");
    expect(sized).toContain("var.poll_interval_minutes * 60 + ceil(coalesce(var.deadline_reserve_ms, 5000) / 1000)");
    expect(variables(files).get("poll_detached_timeout_seconds")?.default).toBeNull();
    expect(nested(fn, "failure_destination")).toEqual({ kind: "NOTIFICATION", topic_id: "${local.failure_topic_id}" });
    expect(locals(files).failure_topic_id).toBe("${coalesce(var.failure_topic_id, oci_ons_notification_topic.this.id)}");
    expect(variables(files).get("failure_topic_id")?.default).toBeNull();
  });

  it("leaves the image to fn deploy after creation and guards the 4 KB config limit", () => {
    const lifecycle = nested(resource(files, "oci_functions_function", "this"), "lifecycle");
    expect(lifecycle.ignore_changes).toEqual(["${image}", "${image_digest}"]);
    const pre = nested(lifecycle, "precondition");
    expect(String(pre.condition)).toContain("<= 4096");
  });

  it("sends the functions' output to an invoke log of the application", () => {
    const log = resource(files, "oci_logging_log", "invoke");
    const source = nested(nested(log, "configuration"), "source");
    expect(source).toMatchObject({
      service: "functions",
      category: "invoke",
      source_type: "OCISERVICE",
      resource: "${oci_functions_application.this.id}",
    });
    expect(log.log_group_id).toBe("${oci_logging_log_group.this[0].id}");
  });
});

describe("notifications", () => {
  it("subscribes each email and the optional Slack webhook to the one topic", () => {
    resource(files, "oci_ons_notification_topic", "this");
    const email = resource(files, "oci_ons_subscription", "email");
    expect(email).toMatchObject({
      protocol: "EMAIL",
      topic_id: "${oci_ons_notification_topic.this.id}",
      for_each: "${toset(var.notification_emails)}",
    });
    const slack = resource(files, "oci_ons_subscription", "slack");
    expect(slack).toMatchObject({
      protocol: "SLACK",
      topic_id: "${oci_ons_notification_topic.this.id}",
      endpoint: "${local.slack_webhook_url}",
    });
  });

  it("keeps the Slack subscription when an apply runs without the URL: existence hangs on slack_enabled, a missing URL fails the plan", () => {
    const slack = resource(files, "oci_ons_subscription", "slack");
    // Never on the secret: a shell without it would otherwise plan a delete.
    expect(slack.count).toBe("${var.slack_enabled ? 1 : 0}");
    expect(variables(files).get("slack_enabled")?.default).toBe(false);
    const pre = nested(nested(slack, "lifecycle"), "precondition");
    expect(pre.condition).toBe('${nonsensitive(startswith(local.slack_webhook_url, "https://"))}');
    expect(String(pre.error_message)).toContain("Refusing to plan rather than delete");
    // The URL: an OCI Vault secret (base64 content) or a var-file variable.
    const url = String(locals(files).slack_webhook_url);
    expect(url).toMatch(/^\$\{sensitive\(/);
    expect(url).toContain("base64decode(data.oci_secrets_secretbundle.slack_webhook[0].secret_bundle_content[0].content)");
    expect(url).toContain("var.slack_webhook_url");
    const bundle = blocks(files, "data", "oci_secrets_secretbundle").get("slack_webhook");
    expect(bundle).toMatchObject({
      secret_id: "${var.slack_webhook_secret_id}",
      count: "${var.slack_enabled && var.slack_webhook_secret_id != null ? 1 : 0}",
    });
    expect(variables(files).get("slack_webhook_url")?.sensitive).toBe(true);
  });
});

describe("storage", () => {
  it("makes both buckets private, versioned and optionally KMS-encrypted", () => {
    for (const [name, bucketName] of [
      ["state", "${local.state_bucket_name}"],
      ["outputs", "${local.output_bucket_name}"],
    ] as const) {
      const b = resource(files, "oci_objectstorage_bucket", name);
      expect(b).toMatchObject({
        name: bucketName,
        access_type: "NoPublicAccess",
        versioning: "Enabled",
        kms_key_id: "${var.kms_key_id}",
        namespace: "${local.namespace}",
      });
      expect(b.depends_on).toEqual(["${oci_identity_policy.object_storage_service}"]);
    }
    expect(locals(files).namespace).toBe("${data.oci_objectstorage_namespace.this.namespace}");
  });

  it("expires outputs after the retention period, after the service policy exists", () => {
    const lc = resource(files, "oci_objectstorage_object_lifecycle_policy", "outputs");
    expect(lc.bucket).toBe("${oci_objectstorage_bucket.outputs.name}");
    expect(lc.depends_on).toEqual(["${oci_identity_policy.object_storage_service}"]);
    const rules = lc.rules as Array<Record<string, unknown>>;
    expect(rules).toContainEqual(
      expect.objectContaining({
        action: "DELETE",
        target: "objects",
        time_amount: "${var.output_retention_days}",
        time_unit: "DAYS",
        is_enabled: true,
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ action: "DELETE", target: "previous-object-versions" }));
    expect(rules).toContainEqual(expect.objectContaining({ action: "ABORT", target: "multipart-uploads" }));
    const state = resource(files, "oci_objectstorage_object_lifecycle_policy", "state");
    expect(state.bucket).toBe("${oci_objectstorage_bucket.state.name}");
    // Announcement claims are written once per announcement and never deleted by the functions.
    const claimRule = (state.rules as Array<Record<string, unknown>>).find((r) => r.name === "expire-announcement-claims");
    expect(claimRule).toMatchObject({ action: "DELETE", target: "objects", time_amount: "${var.announcement_claim_retention_days}" });
    // The prefix the functions write claims under.
    expect(nested(claimRule ?? {}, "object_name_filter").inclusion_prefixes).toEqual(["${local.state_prefix}announcements/"]);
    expect(locals(files).state_prefix).toBe('${var.state_prefix == null ? "aidp-watch/" : var.state_prefix}');
    expect((locals(files).config_by_group as Record<string, Record<string, unknown>>).common?.AIDP_WATCH_STATE_PREFIX).toBe(
      "${local.state_prefix}",
    );
  });
});

describe("triggers", () => {
  it("has Resource Scheduler invoke poll every N minutes", () => {
    const s = resource(files, "oci_resource_scheduler_schedule", "poll");
    expect(s).toMatchObject({
      action: "START_RESOURCE",
      recurrence_type: "CRON",
      recurrence_details: "*/${var.poll_interval_minutes} * * * *",
    });
    expect(nested(s, "resources").id).toBe('${oci_functions_function.this["poll"].id}');
  });

  it("has optional Events rules invoke track/export, defaulting to none (AIDP documents no event types)", () => {
    const rule = resource(files, "oci_events_rule", "this");
    expect(rule.for_each).toBe("${local.event_rules}");
    expect(rule.compartment_id).toBe("${local.aidp_compartment_id}");
    // The non-deprecated form (provider >= 8.22.0): actions { action { … } }.
    expect(nested(rule, "actions").actions).toBeUndefined();
    const action = nested(nested(rule, "actions"), "action");
    expect(action).toMatchObject({ action_type: "FAAS", function_id: "${oci_functions_function.this[each.key].id}", is_enabled: true });
    const eventRules = String(locals(files).event_rules);
    expect(eventRules).toContain("track = var.track_event_condition");
    expect(eventRules).toContain("export = var.export_event_condition");
    const vars = variables(files);
    expect(vars.get("track_event_condition")?.default).toBeNull();
    expect(vars.get("export_event_condition")?.default).toBeNull();
  });
});

describe("IAM", () => {
  const all = () =>
    ["functions", "object_storage_service", "invokers"].flatMap((p) => statements(resource(files, "oci_identity_policy", p)));

  it("matches exactly the three functions by OCID in the dynamic group", () => {
    const dg = resource(files, "oci_identity_dynamic_group", "functions");
    expect(dg.compartment_id).toBe("${var.tenancy_ocid}");
    expect(String(dg.matching_rule)).toContain("resource.id = '${oci_functions_function.this[h].id}'");
    expect(String(dg.matching_rule)).toMatch(/^ANY \{/);
    expect(String(dg.matching_rule)).not.toContain("resource.compartment.id");
  });

  it("never grants all-resources, tenancy-wide access, or manage beyond the listed object permissions of our buckets", () => {
    const sts = all();
    expect(sts.length).toBeGreaterThanOrEqual(7);
    for (const s of sts) {
      expect(s).not.toMatch(/all-resources/);
      expect(s).not.toMatch(/in tenancy/);
      expect(s).toMatch(/ in compartment id \$\{(var|local)\.[a-z_]+\}/);
      if (/ to manage /.test(s)) {
        expect(s).toMatch(/to manage (objects|object-family) in compartment id \$\{var\.compartment_id\} where /);
        expect(s).toMatch(/target\.bucket\.name = '\$\{local\.(state|output)_bucket_name\}'/);
        if (s.includes("functions_subject")) expect(s).toContain("${local.object_permission_condition}");
      }
    }
  });

  it("lets the functions publish (only) to the topic's compartment, use AIDP and manage objects of each bucket", () => {
    const sts = statements(resource(files, "oci_identity_policy", "functions"));
    const dg = "Allow ${local.functions_subject}";
    expect(locals(files).functions_subject).toBe("dynamic-group id ${oci_identity_dynamic_group.functions.id}");
    expect(sts).toContain(
      `${dg} to use ons-topics in compartment id \${var.compartment_id} where request.permission = 'ONS_TOPIC_PUBLISH'`,
    );
    for (const bucket of ["state_bucket_name", "output_bucket_name"]) {
      expect(sts).toContain(
        `${dg} to manage objects in compartment id \${var.compartment_id} where all {target.bucket.name = '\${local.${bucket}}', \${local.object_permission_condition}}`,
      );
    }
    expect(sts).toContain(`${dg} to use ai-data-platforms in compartment id \${local.aidp_compartment_id}`);
    // …plus the failure topic's compartment, only when it is another one.
    expect(sts).toContain(
      `${dg} to use ons-topics in compartment id \${local.failure_topic_compartment_id} where request.permission = 'ONS_TOPIC_PUBLISH'`,
    );
    expect(String(resource(files, "oci_identity_policy", "functions").statements)).toContain(
      "local.failure_topic_compartment_id == var.compartment_id ? [] :",
    );
    expect(sts).toHaveLength(5);
  });

  it("grants exactly the object permissions the functions use (no version purge, restore or tiering)", () => {
    const l = locals(files);
    expect(l.object_permissions).toEqual(["OBJECT_INSPECT", "OBJECT_READ", "OBJECT_CREATE", "OBJECT_OVERWRITE", "OBJECT_DELETE"]);
    // doctor proposes the same grant when a bucket probe is refused.
    expect(l.object_permissions).toEqual([...OBJECT_PERMISSIONS]);
    expect(l.object_permission_condition).toBe(
      `any {\${join(", ", [for p in local.object_permissions : "request.permission = '\${p}'"])}}`,
    );
  });

  it("lets Object Storage run lifecycle rules on our buckets only, and use the KMS key when one is set", () => {
    const sts = statements(resource(files, "oci_identity_policy", "object_storage_service"));
    expect(sts[0]).toBe(
      "Allow service objectstorage-${var.region} to manage object-family in compartment id ${var.compartment_id} where any {target.bucket.name = '${local.state_bucket_name}', target.bucket.name = '${local.output_bucket_name}'}",
    );
    expect(sts[1]).toBe(
      "Allow service objectstorage-${var.region} to use keys in compartment id ${local.kms_key_compartment_id} where target.key.id = '${var.kms_key_id}'",
    );
    expect(String(resource(files, "oci_identity_policy", "object_storage_service").statements)).toContain("var.kms_key_id == null ? [] :");
  });

  it("lets only this schedule, and Events (when a rule exists), invoke the functions", () => {
    const p = resource(files, "oci_identity_policy", "invokers");
    const sts = statements(p);
    expect(sts).toContain(
      "Allow any-user to use functions-family in compartment id ${var.compartment_id} where all {request.principal.type = 'resourceschedule', request.principal.id = '${oci_resource_scheduler_schedule.poll.id}'}",
    );
    expect(sts).toContain("Allow service cloudEvents to use functions-family in compartment id ${var.compartment_id}");
    expect(String(p.statements)).toContain("length(local.event_rules) == 0 ? [] :");
  });

  it("keeps bucket names out of a dependency cycle (policy ← bucket)", () => {
    const l = locals(files);
    expect(l.state_bucket_name).toBe("${var.name_prefix}-state");
    expect(l.output_bucket_name).toBe("${var.name_prefix}-outputs");
    const osPolicy = JSON.stringify(resource(files, "oci_identity_policy", "object_storage_service"));
    expect(osPolicy).not.toContain("oci_objectstorage_bucket.");
  });
});

describe("outputs", () => {
  it("exposes what the deploy guide needs", () => {
    const names = new Set(files.flatMap((f) => Object.keys((f.json.output as Record<string, unknown>) ?? {})));
    for (const o of [
      "application_name",
      "function_ids",
      "topic_id",
      "state_bucket",
      "output_bucket",
      "poll_schedule_id",
      "dynamic_group_id",
      "invoke_log_id",
    ]) {
      expect(names).toContain(o);
    }
    expect(blocks(files, "data", "oci_objectstorage_namespace").has("this")).toBe(true);
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (`${var.x}`) are the expected literal text here.
import { beforeAll, describe, expect, it } from "vitest";
import { loadInfra, locals, nested, resource, statements, type TfFile, variables } from "./infra-files.js";

let files: TfFile[] = [];
beforeAll(async () => {
  files = await loadInfra();
});

describe("Terraform for discovery by compartment and sharded sweeps (infra/scaling.tf)", () => {
  it("takes compartments, shards and the poll invoke endpoint, defaulting to none / 1 / none", () => {
    const vars = variables(files);
    expect(vars.get("compartment_ids")?.default).toEqual([]);
    expect(vars.get("shards")?.default).toBe(1);
    expect(vars.get("poll_invoke_endpoint")?.default).toBeNull();
    expect(vars.get("aidp_control_plane_endpoint")?.default).toBeNull();
    const scale = (locals(files).config_by_group as Record<string, Record<string, string>>).scale!;
    expect(scale.AIDP_WATCH_COMPARTMENT_IDS).toBe('${length(var.compartment_ids) > 0 ? join(",", var.compartment_ids) : null}');
    expect(scale.AIDP_WATCH_SHARDS).toBe("${var.shards == 1 ? null : tostring(var.shards)}");
    expect(scale.AIDP_WATCH_INVOKE_ENDPOINT).toBe("${var.poll_invoke_endpoint}");
    // Only poll sweeps.
    const groups = locals(files).config_groups as Record<string, string[]>;
    expect(groups.poll).toContain("scale");
    expect(groups.track).not.toContain("scale");
    expect(groups.export).not.toContain("scale");
  });

  it("grants inspect (listing) and use (reading operations) of AI Data Platforms in exactly the listed compartments", () => {
    const policy = resource(files, "oci_identity_policy", "scaling");
    const sts = statements(policy);
    expect(sts).toContain("Allow ${local.functions_subject} to inspect ai-data-platforms in compartment id ${c}");
    expect(sts).toContain("Allow ${local.functions_subject} to use ai-data-platforms in compartment id ${c}");
    const text = String(policy.statements);
    expect(text.match(/for c in var\.compartment_ids :/g)).toHaveLength(2);
    expect(text).not.toMatch(/in tenancy|all-resources|manage/);
  });

  it("lets only poll invoke only poll, and only when sharded", () => {
    const dg = resource(files, "oci_identity_dynamic_group", "poll");
    expect(dg.count).toBe("${local.sharded ? 1 : 0}");
    expect(dg.matching_rule).toBe("ANY {resource.id = '${oci_functions_function.this[\"poll\"].id}'}");
    const text = String(resource(files, "oci_identity_policy", "scaling").statements).replace(/\\"/g, '"');
    expect(text).toContain(
      'local.sharded ? ["Allow dynamic-group id ${oci_identity_dynamic_group.poll[0].id} to use fn-invocation in compartment id ${var.compartment_id} where target.function.id = \'${oci_functions_function.this["poll"].id}\'"] : []',
    );
    expect(text.match(/fn-invocation/g)).toHaveLength(1);
    expect(locals(files).sharded).toBe("${var.shards > 1}");
  });

  it("refuses shards > 1 without the invoke endpoint at plan time", () => {
    const guard = nested(nested(resource(files, "terraform_data", "shards_need_invoke_endpoint"), "lifecycle"), "precondition");
    expect(guard.condition).toBe("${var.shards == 1 || var.poll_invoke_endpoint != null}");
  });
});

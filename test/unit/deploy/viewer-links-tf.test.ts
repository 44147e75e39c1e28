// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (`${var.x}`) are the expected literal text here.
import { beforeAll, describe, expect, it } from "vitest";
import { loadInfra, locals, resource, statements, type TfFile, variables } from "./infra-files.js";

// Viewer links (infra/viewer-links.tf): off by default; when on, the only new
// right is PAR_MANAGE on the output bucket.
let files: TfFile[] = [];
beforeAll(async () => {
  files = await loadInfra();
});

describe("viewer links in Terraform", () => {
  it("are off by default and reach the functions as AIDP_WATCH_VIEWER_LINK_HOURS", () => {
    expect(variables(files).get("viewer_link_hours")?.default).toBeNull();
    const exportGroup = (locals(files).config_by_group as Record<string, Record<string, unknown>>).export!;
    expect(exportGroup.AIDP_WATCH_VIEWER_LINK_HOURS).toBe("${var.viewer_link_hours == null ? null : tostring(var.viewer_link_hours)}");
  });

  it("grant only PAR_MANAGE, only on the output bucket, only when links are on", () => {
    const policy = resource(files, "oci_identity_policy", "viewer_links");
    expect(policy.count).toBe("${var.viewer_link_hours == null ? 0 : 1}");
    expect(statements(policy)).toEqual([
      "Allow ${local.functions_subject} to manage buckets in compartment id ${var.compartment_id} where all {target.bucket.name = '${local.output_bucket_name}', request.permission = 'PAR_MANAGE'}",
    ]);
  });
});

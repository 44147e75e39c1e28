import type { Clock } from "../../../shared/time/clock.js";
import { EMULATOR_USER } from "../../credentials.js";
import type { AidpEmulator } from "./index.js";
import { sampleOutputsWithExpectations } from "./sample-outputs.js";

/** Workspace of the demo job runs. */
export const DEMO_WORKSPACE = "ws-demo";

/**
 * The scenario `npm start` serves: async operations of several action types
 * that finish SUCCEEDED, FAILED (with errorCode/errorMessage) and CANCELED
 * over about two minutes, some appearing while the demo runs, one running far
 * past any "still running" threshold, and job runs in workspace `ws-demo`
 * whose task runs produce outputs in every RunOutputData form.
 * Durations are divided by `speed` (@default 1), so `speed: 60` plays the
 * two minutes in two seconds.
 */
export function seedDemoPlatform(
  aidp: AidpEmulator,
  platformId: string,
  clock: Clock,
  opts: { speed?: number } = {},
): { operationKeys: string[]; jobRunKeys: string[] } {
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`seedDemoPlatform: speed must be > 0 (got ${speed})`);
  const t = (ms: number) => Math.round(ms / speed);
  const now = clock.now();
  const sec = 1000;
  const min = 60 * sec;
  aidp.addPlatform(platformId);

  const ops = [
    { actionType: "CREATE_TABLE", resourceType: "TABLE", resourceName: "sales.q3.orders", timeStarted: now, durationMs: t(20 * sec) },
    {
      actionType: "START_CLUSTER",
      resourceType: "CLUSTER",
      resourceName: `${DEMO_WORKSPACE}.cluster-etl`,
      resourceDisplayName: "ETL cluster",
      timeStarted: now,
      durationMs: t(45 * sec),
    },
    {
      actionType: "BUNDLE_DEPLOY",
      resourceType: "BUNDLE_OPERATION",
      resourceName: `${DEMO_WORKSPACE}.bundles.nightly`,
      resourceDisplayName: "nightly bundle",
      timeStarted: now + t(10 * sec),
      durationMs: t(50 * sec),
      finalStatus: "FAILED",
      errorCode: "BundleValidationFailed",
      errorMessage: "Task 'load_orders' references a missing notebook: /Workspace/Shared/load_orders.ipynb",
    },
    {
      actionType: "GIT_CHECKOUT_BRANCH",
      resourceType: "GIT_OPERATION",
      resourceName: `${DEMO_WORKSPACE}.repos.analytics`,
      timeStarted: now + t(20 * sec),
      durationMs: t(40 * sec),
      finalStatus: "CANCELED",
      statusDetails: "Canceled by user",
      createdBy: "ocid1.user.oc1..analyst",
      createdByName: "Ana Lyst",
    },
    {
      actionType: "CREATE_CATALOG",
      resourceType: "CATALOG",
      resourceName: "finance",
      timeStarted: now + t(30 * sec),
      durationMs: t(60 * sec),
    },
    {
      actionType: "CREATE_TABLE",
      resourceType: "TABLE",
      resourceName: "sales.q3.returns",
      timeStarted: now + t(40 * sec),
      durationMs: t(30 * sec),
      finalStatus: "FAILED",
      errorCode: "TableAlreadyExists",
      errorMessage: "Table sales.q3.returns already exists",
    },
    {
      actionType: "CREATE_SCHEMA",
      resourceType: "SCHEMA",
      resourceName: "finance.reporting",
      timeStarted: now + t(60 * sec),
      durationMs: t(45 * sec),
    },
    // Started long ago and still going: triggers the watcher's "still running" warning.
    {
      actionType: "PATCH_CLUSTER_LIBRARIES",
      resourceType: "CLUSTER",
      resourceName: `${DEMO_WORKSPACE}.cluster-ml`,
      resourceDisplayName: "ML cluster",
      timeStarted: now - t(40 * min),
      durationMs: t(40 * min) + t(3 * 60 * min),
    },
  ];
  const operationKeys = ops.map(
    (op) => aidp.addOperation(platformId, { createdBy: EMULATOR_USER, createdByName: "Emulator User", ...op }).key,
  );

  // Job run 1: three tasks whose outputs together cover every sample form; succeeds.
  const samples = sampleOutputsWithExpectations();
  const group = (names: string[]) => samples.filter((s) => names.some((n) => s.name.startsWith(n))).map((s) => s.part);
  const notebookParts = group(["text-plain-utf8", "text-html", "image-png", "image-svg", "notebook-bzip2", "notebook-plain"]);
  const pythonParts = group(["application-json", "text-plain-compress", "text-plain-utf16"]);
  const reportParts = group(["application-pdf", "image-jpeg", "file-path", "notebook-path"]);
  const report = aidp.addJobRun(platformId, DEMO_WORKSPACE, {
    jobKey: "job-quarterly-report",
    name: "quarterly-report",
    timeCreated: now + t(5 * sec),
    tasks: [
      {
        name: "load_orders",
        taskType: "NOTEBOOK_TASK",
        durationMs: t(15 * sec),
        output: { data: notebookParts, outputParameters: [{ name: "rows", value: "128400" }] },
      },
      { name: "aggregate", taskType: "PYTHON_TASK", durationMs: t(20 * sec), output: { data: pythonParts } },
      { name: "publish_report", taskType: "NOTEBOOK_TASK", durationMs: t(25 * sec), output: { data: reportParts } },
    ],
  });

  // Job run 2: the first task fails with a stack trace; the next one never runs.
  const trace =
    'Traceback (most recent call last):\n  File "load.py", line 12, in <module>\n    df = spark.table("sales.q3.refunds")\nAnalysisException: Table or view not found: sales.q3.refunds\n';
  const failing = aidp.addJobRun(platformId, DEMO_WORKSPACE, {
    jobKey: "job-refunds",
    name: "refunds-backfill",
    timeCreated: now + t(30 * sec),
    tasks: [
      {
        name: "load_refunds",
        taskType: "PYTHON_TASK",
        durationMs: t(25 * sec),
        finalStatus: "FAILED",
        output: {
          data: [{ type: "TEXT_PLAIN", charset: "UTF_8", isBase64: false, value: trace, length: String(Buffer.byteLength(trace)) }],
          errorTrace: trace,
        },
      },
      { name: "merge_refunds", taskType: "NOTEBOOK_TASK", durationMs: t(10 * sec), outputKey: null },
    ],
  });
  return { operationKeys, jobRunKeys: [report.key, failing.key] };
}

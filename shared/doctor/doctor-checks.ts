/**
 * The checks that talk to OCI (or the emulator), each against a port so they
 * run the same from the CLI and from inside the `poll` function. Every check
 * catches its own failure and turns it into a report entry: one broken
 * service never hides what the others would say.
 */
import { randomUUID } from "node:crypto";
import type { AidpClient } from "../aidp/aidp-client.js";
import type { Notifier } from "../notify/notifier.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { Deadline } from "../time/deadline.js";
import { type DoctorCheck, failed, ok } from "./doctor-report.js";
import { aidpGrant, objectGrant, type PolicySubject, publishGrant } from "./policy-statements.js";
import { isThrottled, serviceFailure, THROTTLED_FIX } from "./service-failure.js";

/**
 * `platform <ocid>`: one cheap list call, the sweep's own (IN_PROGRESS, a page
 * of one; the service refuses a listing without a status or resource type).
 */
export async function checkPlatform(
  aidp: AidpClient,
  platformId: string,
  subject: PolicySubject,
  deadline: Deadline,
): Promise<DoctorCheck> {
  const name = `platform ${platformId}`;
  try {
    await aidp.listAsyncOperations(platformId, { status: "IN_PROGRESS", limit: 1 }, { deadline }).page();
    return ok(name, `listed async operations of ${platformId} at ${aidp.baseUrl}`);
  } catch (err) {
    const f = serviceFailure(err);
    if (isThrottled(f)) return failed(name, `throttled listing async operations of ${platformId}: ${f.text}`, THROTTLED_FIX);
    if (f.status === 404 || f.status === 403) {
      return failed(
        name,
        `${platformId} is not visible to this principal: ${f.text}. Either the OCID is wrong (AIDP_WATCH_PLATFORM_IDS) or no policy lets this principal read it (AI Data Platform also has in-product roles, docs/deploy.md)`,
        aidpGrant(subject, platformId),
      );
    }
    if (f.status === 401) return failed(name, `not authenticated: ${f.text}`, "see the authentication check");
    return failed(
      name,
      `could not list async operations of ${platformId} at ${aidp.baseUrl}: ${f.text}`,
      "AIDP_WATCH_AIDP_ENDPOINT (or the region of the profile / resource principal) and the subnet's route to the AIDP endpoint",
    );
  }
}

export interface BucketProbe {
  /** `state bucket` or `output bucket`. */
  readonly label: string;
  /** The configuration key that names the bucket. */
  readonly key: string;
  readonly store: ObjectStore;
  readonly namespace: string;
  /** Prefix the functions write under; the probe goes below it. */
  readonly prefix: string;
}

/**
 * A probe object written with `if-none-match: *` (create), headed (inspect),
 * read, overwritten with `if-match` (overwrite) and deleted: the five object
 * permissions the functions use, nothing left behind. In a versioned bucket
 * the delete leaves the probe as a previous version, which the lifecycle rule
 * removes (the functions may not purge versions).
 */
export async function checkBucket(p: BucketProbe, subject: PolicySubject, deadline: Deadline): Promise<DoctorCheck> {
  const bucket = p.store.bucket;
  const name = `${p.label} ${bucket}`;
  const object = `${p.prefix === "" || p.prefix.endsWith("/") ? p.prefix : `${p.prefix}/`}doctor/probe-${randomUUID()}.txt`;
  let step = "create (PutObject, if-none-match: *)";
  let created = false;
  let deleted = false;
  try {
    const body = `aidp-watch doctor probe, written ${new Date().toISOString()}; deleted at once.`;
    const { etag } = await p.store.put(object, body, { ifNoneMatch: "*", contentType: "text/plain", deadline });
    created = true;
    step = "inspect (HeadObject)";
    if ((await p.store.head(object, { deadline })) === undefined)
      return failed(name, `${object} was written but HeadObject does not find it`);
    step = "read (GetObject)";
    const read = await p.store.get(object, { deadline });
    // OCI answers 404 (not 403) to a read it doesn't authorise: the object exists (HeadObject found it).
    if (read === undefined)
      return failed(
        name,
        `not allowed to ${step} in bucket ${bucket}: GetObject answered 404 for ${object}, which HeadObject found`,
        objectGrant(subject, bucket),
      );
    if (read.body.toString("utf8") !== body) return failed(name, `${object} reads back different from what was written`);
    step = "overwrite (PutObject, if-match)";
    const second = await p.store.put(object, `${body} (overwritten)`, { ifMatch: etag, contentType: "text/plain", deadline });
    step = "delete (DeleteObject, if-match)";
    deleted = await p.store.delete(object, { ifMatch: second.etag, deadline });
    if (!deleted) return failed(name, `${object} was gone before doctor deleted it`);
    return ok(name, `created, inspected, read, overwrote and deleted ${object} in bucket ${bucket} (namespace ${p.namespace})`);
  } catch (err) {
    const f = serviceFailure(err);
    if (isThrottled(f)) return failed(name, `throttled at ${step} on ${bucket}: ${f.text}`, THROTTLED_FIX);
    if (f.status === 404 && f.code === "BucketNotFound") {
      return failed(
        name,
        `bucket ${bucket} does not exist in namespace ${p.namespace}, or this principal may not see it (${f.text})`,
        `${p.key} (the bucket's name), AIDP_WATCH_NAMESPACE; if the bucket exists: ${objectGrant(subject, bucket)}`,
      );
    }
    if (f.status === 404 || f.status === 403)
      return failed(name, `not allowed to ${step} in bucket ${bucket}: ${f.text}`, objectGrant(subject, bucket));
    return failed(name, `${step} failed on bucket ${bucket}: ${f.text}`);
  } finally {
    // Nothing left behind, whatever step failed after the probe was created.
    if (created && !deleted) await p.store.delete(object, { deadline }).catch(() => false);
  }
}

/** `topic`: only on request (`--publish-test`); one message saying what it is. */
export async function checkPublish(
  notifier: Notifier,
  topicId: string,
  subject: PolicySubject,
  from: string,
  deadline: Deadline,
): Promise<DoctorCheck> {
  const name = `topic ${topicId}`;
  try {
    const receipt = await notifier.publish(
      {
        title: "aidp-watch doctor: test message",
        body: `This is a test message sent by \`aidp-watch doctor --publish-test\` (${from}) at ${new Date().toISOString()} to check that aidp-watch can publish to this topic. No AI Data Platform operation ended; nothing needs doing.`,
      },
      { deadline },
    );
    return ok(name, `published test message ${receipt.messageId}; confirmed subscriptions receive it`);
  } catch (err) {
    const f = serviceFailure(err);
    if (isThrottled(f)) return failed(name, `throttled publishing to ${topicId}: ${f.text}`, THROTTLED_FIX);
    if (f.status === 404 || f.status === 403) {
      return failed(
        name,
        `cannot publish to ${topicId}: ${f.text}. Either AIDP_WATCH_TOPIC_ID is wrong or no policy lets this principal publish`,
        publishGrant(subject),
      );
    }
    return failed(name, `publishing to ${topicId} failed: ${f.text}`);
  }
}

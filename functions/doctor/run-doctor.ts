/**
 * `aidp-watch doctor` and `poll` with `{"doctor": true}`: checks a
 * configuration (the AIDP_WATCH_* keys the functions read) against OCI or the
 * emulator, with whatever principal runs it (API key on a laptop, the
 * function's resource principal inside OCI), and reports each check. Order:
 * configuration → authentication (a signed GetNamespace) → each platform →
 * state and output buckets (a probe object, removed) → the topic (only with
 * `publishTest`: doctor never publishes otherwise). Checks that need an
 * earlier one to pass are reported as not run.
 */
import { AidpClient } from "../../shared/aidp/aidp-client.js";
import { selectAuthKind } from "../../shared/auth/auth-options.js";
import { type AuthProvider, createAuthProvider } from "../../shared/auth/create-auth-provider.js";
import { defaultConfigFile, readOciProfile } from "../../shared/auth/oci-config-file.js";
import type { Config } from "../../shared/config/config-schema.js";
import { ConfigError, loadConfig, requireFor } from "../../shared/config/load-config.js";
import { checkBucket, checkPlatform, checkPublish } from "../../shared/doctor/doctor-checks.js";
import { type DoctorCheck, type DoctorReport, failed, ok } from "../../shared/doctor/doctor-report.js";
import { subjectFor } from "../../shared/doctor/policy-statements.js";
import { serviceFailure } from "../../shared/doctor/service-failure.js";
import { describeError } from "../../shared/errors/aidp-watch-error.js";
import type { Logger } from "../../shared/log/logger.js";
import { OciNotifier } from "../../shared/notify/oci-notifier.js";
import { createOciClients, type OciClients } from "../../shared/oci/clients.js";
import { OciObjectStore } from "../../shared/storage/oci-object-store.js";
import { type Clock, systemClock } from "../../shared/time/clock.js";
import type { Deadline } from "../../shared/time/deadline.js";

export interface DoctorOptions {
  /** AIDP_WATCH_* keys (and, for the resource principal, OCI_RESOURCE_PRINCIPAL_*). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly configFile?: string | undefined;
  readonly profile?: string | undefined;
  readonly publishTest: boolean;
  /** Bounds every call; each check gets what is left. */
  readonly deadline: Deadline;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Named in the test message: where doctor ran. */
  readonly from: string;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const config = checkConfiguration(o.env, checks);
  if (!config) return { checks };

  const kind = selectAuthKind(config.AIDP_WATCH_AUTH, o.env);
  const configFile = o.configFile ?? defaultConfigFile(o.env);
  const profileName = o.profile ?? o.env.OCI_CLI_PROFILE ?? "DEFAULT";
  const profile = kind === "config_file" || kind === "session_token" ? tryProfile(configFile, profileName) : undefined;
  const subject = subjectFor({ kind, user: profile?.user });
  const who =
    kind === "resource_principal"
      ? "the resource principal"
      : kind === "instance_principal"
        ? "the instance principal"
        : `profile ${profileName} of ${configFile} (tenancy ${profile?.tenancy ?? "?"}, user ${profile?.user ?? "?"}, fingerprint ${profile?.fingerprint ?? "?"})`;

  let provider: AuthProvider;
  try {
    provider = await createAuthProvider({ auth: config.AIDP_WATCH_AUTH, configFile: o.configFile, profile: o.profile, env: o.env });
  } catch (err) {
    checks.push(
      failed("authentication", `could not load the credentials of ${who}: ${describeError(err)}`, authFix(kind, profileName, configFile)),
    );
    return { checks };
  }
  const clients: OciClients = createOciClients({
    provider,
    objectStorageEndpoint: config.AIDP_WATCH_OBJECT_STORAGE_ENDPOINT,
    notificationsEndpoint: config.AIDP_WATCH_NOTIFICATIONS_ENDPOINT,
  });
  try {
    const namespace = await checkAuthentication(clients, config, who, kind, profileName, configFile, o.deadline, checks);
    if (namespace === undefined) return { checks };

    const aidp = new AidpClient({ provider, endpoint: config.AIDP_WATCH_AIDP_ENDPOINT, clock: o.clock ?? systemClock, logger: o.logger });
    for (const platformId of config.AIDP_WATCH_PLATFORM_IDS) checks.push(await checkPlatform(aidp, platformId, subject, o.deadline));

    const objectStorage = await clients.objectStorage();
    const store = (bucket: string) => new OciObjectStore({ client: objectStorage, namespace, bucket, logger: o.logger });
    if (config.AIDP_WATCH_STATE_BUCKET) {
      checks.push(
        await checkBucket(
          {
            label: "state bucket",
            key: "AIDP_WATCH_STATE_BUCKET",
            store: store(config.AIDP_WATCH_STATE_BUCKET),
            namespace,
            prefix: config.AIDP_WATCH_STATE_PREFIX,
          },
          subject,
          o.deadline,
        ),
      );
    }
    if (config.AIDP_WATCH_OUTPUT_BUCKET) {
      checks.push(
        await checkBucket(
          {
            label: "output bucket",
            key: "AIDP_WATCH_OUTPUT_BUCKET",
            store: store(config.AIDP_WATCH_OUTPUT_BUCKET),
            namespace,
            prefix: config.AIDP_WATCH_OUTPUT_PREFIX,
          },
          subject,
          o.deadline,
        ),
      );
    }
    if (o.publishTest && config.AIDP_WATCH_TOPIC_ID) {
      const notifier = new OciNotifier({ client: () => clients.notifications(), topicId: config.AIDP_WATCH_TOPIC_ID, logger: o.logger });
      checks.push(await checkPublish(notifier, config.AIDP_WATCH_TOPIC_ID, subject, o.from, o.deadline));
    }
    return { checks };
  } finally {
    clients.close();
  }
}

/** `configuration`: the keys parse, and poll (the superset of what the functions need) has its required keys. */
function checkConfiguration(env: Readonly<Record<string, string | undefined>>, checks: DoctorCheck[]): Config | undefined {
  try {
    const config = loadConfig(env);
    requireFor("poll", config);
    const set = Object.keys(env).filter((k) => k.startsWith("AIDP_WATCH_") && env[k] !== undefined && env[k] !== "").length;
    checks.push(
      ok(
        "configuration",
        `${set} AIDP_WATCH_* keys valid; ${config.AIDP_WATCH_PLATFORM_IDS.length} platform(s)${config.AIDP_WATCH_COMPARTMENT_IDS.length > 0 ? ` and the platforms of ${config.AIDP_WATCH_COMPARTMENT_IDS.length} compartment(s) (listed by the sweep, not by doctor)` : ""}, state bucket ${config.AIDP_WATCH_STATE_BUCKET}${config.AIDP_WATCH_OUTPUT_BUCKET ? `, output bucket ${config.AIDP_WATCH_OUTPUT_BUCKET}` : ""}, auth ${config.AIDP_WATCH_AUTH}`,
      ),
    );
    if (config.AIDP_WATCH_PLATFORM_IDS.length === 0 && config.AIDP_WATCH_COMPARTMENT_IDS.length === 0) {
      checks.push(
        failed(
          "platforms",
          "AIDP_WATCH_PLATFORM_IDS and AIDP_WATCH_COMPARTMENT_IDS are empty: the sweep watches nothing",
          "AIDP_WATCH_PLATFORM_IDS or AIDP_WATCH_COMPARTMENT_IDS (Terraform platform_ids, compartment_ids)",
        ),
      );
    }
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      const keys = [...new Set(err.problems.map((p) => p.split(":")[0] ?? p))];
      checks.push(
        failed(
          "configuration",
          `${err.message}: ${err.problems.join("; ")}. The other checks need a valid configuration and did not run`,
          keys.join(", "),
        ),
      );
      return undefined;
    }
    throw err;
  }
}

/** `authentication`: a signed GetNamespace; answers the namespace to use, or undefined when the check failed. */
async function checkAuthentication(
  clients: OciClients,
  config: Config,
  who: string,
  kind: string,
  profileName: string,
  configFile: string,
  deadline: Deadline,
  checks: DoctorCheck[],
): Promise<string | undefined> {
  try {
    const namespace = await OciObjectStore.resolveNamespace(await clients.objectStorage(), deadline);
    const configured = config.AIDP_WATCH_NAMESPACE;
    if (configured !== undefined && configured !== namespace) {
      checks.push(
        failed(
          "authentication",
          `signed request accepted as ${who}, but its namespace is ${namespace}, not AIDP_WATCH_NAMESPACE=${configured}`,
          "AIDP_WATCH_NAMESPACE",
        ),
      );
      return undefined;
    }
    checks.push(ok("authentication", `signed request accepted (GetNamespace: ${namespace}) as ${who}`));
    return namespace;
  } catch (err) {
    const f = serviceFailure(err);
    const detail =
      f.status === 401
        ? `the service rejected the signature of ${who}: ${f.text}. The key is not one uploaded for this user, or the fingerprint, user or tenancy does not match it`
        : `a signed GetNamespace as ${who} failed: ${f.text}`;
    checks.push(failed("authentication", `${detail}. The other checks need it and did not run`, authFix(kind, profileName, configFile)));
    return undefined;
  }
}

function authFix(kind: string, profileName: string, configFile: string): string {
  if (kind === "resource_principal")
    return "the function must be in the dynamic group (terraform apply re-creates the matching rule); a new function OCID needs a new apply";
  if (kind === "instance_principal") return "a dynamic group matching this instance, with the policies of docs/deploy.md";
  return `key_file, fingerprint, user and tenancy of profile [${profileName}] in ${configFile} (the fingerprint shown next to the API key in the Console, for the key whose public half was uploaded)`;
}

function tryProfile(configFile: string, profile: string) {
  try {
    return readOciProfile(configFile, profile);
  } catch {
    return undefined;
  }
}

// `lifeboat schedule export --kubernetes`: a CronJob per profile and job, one ConfigMap with the config (references
// only), and the list of Secret keys each profile needs. No secret is ever in a manifest: every keychain:/env:
// reference becomes an environment variable filled from a Kubernetes Secret (secretKeyRef). A keychain: reference,
// which a pod cannot read, is rewritten in the ConfigMap's copy of the config to env:LIFEBOAT_KEYCHAIN_<NAME>, filled
// from the Secret the same way. Retries happen inside the runner, within the job's window, so Kubernetes' own
// backoffLimit is 0 and concurrencyPolicy is Forbid: one run of a job at a time.
import { stringify } from "yaml";
import type { Profile } from "../../../shared/config.ts";
import { cadenceMs } from "../../../shared/schedule/occurrences.ts";
import { parseSecretRef } from "../../../shared/secret-ref.ts";
import { scheduleZone } from "../job-plan.ts";
import { windowMs } from "../retry-policy.ts";
import { scheduledUnits, type ScheduledUnit } from "./scheduled-units.ts";

export interface KubernetesOptions {
  image: string;
  namespace: string;
  /** Where the ConfigMap is mounted in the pod. */
  configPath?: string;
  now?: Date;
}

export interface ExportedFile {
  name: string;
  content: string;
}

/** One environment variable a profile needs from its Secret. */
export interface SecretKey {
  profile: string;
  secret: string;
  key: string;
  /** The config reference it stands for. */
  ref: string;
}

const MOUNT = "/etc/lifeboat";
const keychainVar = (name: string): string => `LIFEBOAT_KEYCHAIN_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

/** Every secret reference in a profile, with the path to it. */
function refsOf(value: unknown, path: string[] = []): { path: string[]; ref: string }[] {
  if (typeof value === "string") return /^(keychain|env):/.test(value) ? [{ path, ref: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => refsOf(v, [...path, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => refsOf(v, [...path, k]));
  return [];
}

/** The profile as the pod reads it: keychain: references become env: references. */
function podProfile(p: Profile): Profile {
  return JSON.parse(
    JSON.stringify(p, (_k, v: unknown) =>
      typeof v === "string" && v.startsWith("keychain:") ? `env:${keychainVar(parseSecretRef(v).name)}` : v,
    ),
  ) as Profile;
}

export function secretKeys(p: Profile): SecretKey[] {
  const seen = new Set<string>();
  return refsOf(p).flatMap(({ ref }) => {
    const r = parseSecretRef(ref);
    const key = r.kind === "env" ? r.name : keychainVar(r.name);
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ profile: p.name, secret: `lifeboat-${p.name}`, key, ref }];
  });
}

const labels = (u: Pick<ScheduledUnit, "profile" | "job">) => ({
  "app.kubernetes.io/name": "lifeboat",
  "app.kubernetes.io/component": u.job,
  "lifeboat.dev/profile": u.profile,
});

function cronJob(p: Profile, u: ScheduledUnit, o: KubernetesOptions, configFile: string): Record<string, unknown> {
  const now = o.now ?? new Date();
  const windowS = Math.round(windowMs(p.schedule!.retry, cadenceMs(u.at, u.timezone, now)) / 1000);
  const restores = u.job === "verify" || u.job === "drill";
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: u.name, namespace: o.namespace, labels: labels(u) },
    spec: {
      schedule: u.cron,
      timeZone: u.timezone,
      concurrencyPolicy: "Forbid",
      // A run that could not start within its window (the cluster was down) is skipped: the next one catches up.
      startingDeadlineSeconds: Math.max(60, windowS),
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels: labels(u) },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: windowS + 12 * 3600,
          template: {
            metadata: { labels: labels(u) },
            spec: {
              restartPolicy: "Never",
              securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
              containers: [
                {
                  name: "lifeboat",
                  image: o.image,
                  imagePullPolicy: "IfNotPresent",
                  args: ["schedule", "run", "--profile", u.profile, "--job", u.job, "--runner", "kubernetes"],
                  env: [
                    { name: "LIFEBOAT_CONFIG", value: configFile },
                    { name: "LIFEBOAT_JOURNAL_DIR", value: "/var/lib/lifeboat/journal" },
                    { name: "TMPDIR", value: "/tmp" },
                    ...secretKeys(p).map((s) => ({
                      name: s.key,
                      valueFrom: { secretKeyRef: { name: s.secret, key: s.key } },
                    })),
                  ],
                  resources: {
                    requests: { cpu: "250m", memory: restores ? "512Mi" : "256Mi" },
                    limits: { cpu: "2", memory: restores ? "2Gi" : "1Gi", "ephemeral-storage": "4Gi" },
                  },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                  },
                  volumeMounts: [
                    { name: "config", mountPath: MOUNT, readOnly: true },
                    { name: "state", mountPath: "/var/lib/lifeboat" },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: "lifeboat-config" } },
                // The pod's journal lives as long as the pod; each run copies its records to the store (hash chain intact).
                { name: "state", emptyDir: {} },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
    },
  };
}

export function kubernetesManifests(
  profiles: Profile[],
  o: KubernetesOptions,
): { files: ExportedFile[]; objects: Record<string, unknown>[]; secrets: SecretKey[] } {
  const configFile = o.configPath ?? `${MOUNT}/config.json`;
  const scheduled = profiles.filter((p) => p.schedule);
  // Explicit zones: the cluster's nodes are not in the operator's zone.
  const config = {
    version: 1,
    profiles: scheduled.map((p) => podProfile({ ...p, schedule: { ...p.schedule!, timezone: scheduleZone(p) } })),
  };
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "lifeboat-config", namespace: o.namespace, labels: { "app.kubernetes.io/name": "lifeboat" } },
    data: { "config.json": JSON.stringify(config, null, 2) + "\n" },
  };
  const units = scheduledUnits(scheduled, { configPath: configFile, platform: "kubernetes" });
  const byName = new Map(scheduled.map((p) => [p.name, p]));
  const jobs = units.map((u) => cronJob(byName.get(u.profile)!, u, o, configFile));
  const objects = [configMap, ...jobs];
  const files: ExportedFile[] = [
    { name: "lifeboat-config.yaml", content: stringify(configMap) },
    ...units.map((u, i) => ({ name: `${u.name}.yaml`, content: stringify(jobs[i]) })),
  ];
  return { files, objects, secrets: scheduled.flatMap(secretKeys) };
}

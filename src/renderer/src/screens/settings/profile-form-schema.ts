// The profile form's own shape (flat strings where the operator types, lists as lines) and its mapping to and from
// the config's Profile. Secret fields take only references (keychain:NAME or env:VAR): a pasted password is refused
// here, before it could ever be saved.
import { z } from "zod";
import { AGE_RECIPIENT, Profile, type ProfileInput } from "../../../../shared/config.ts";
import { isTimeZone, scheduleProblem } from "../../../../shared/schedule/schedule-expression.ts";
import { SecretRef } from "../../../../shared/secret-ref.ts";

const OptionalRef = z.union([z.literal(""), SecretRef]);
const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** The scheduled jobs as the form names them, and as the config does. */
export const FORM_JOBS = [
  ["backup", "backup"],
  ["verify", "verify"],
  ["neonTest", "neon-test"],
  ["drill", "drill"],
] as const;
type FormJob = (typeof FORM_JOBS)[number][0];
export type ScheduleForm = { timezone: string } & Record<FormJob, string> & Record<`${FormJob}Heartbeat`, string>;

export const ProfileForm = z
  .object({
    name: Profile.shape.name,
    db: z.object({
      host: z.string().min(1, "required"),
      port: z.number({ error: "a port number" }).int().min(1).max(65535),
      database: z.string().min(1, "required"),
      user: z.string().min(1, "required"),
      password: OptionalRef,
      sslmode: z.enum(["disable", "prefer", "require", "verify-ca", "verify-full"]),
    }),
    storageKind: z.enum(["s3", "folder"]),
    s3: z.object({
      bucket: z.string(),
      prefix: z.string(),
      region: z.string(),
      endpoint: z.string(),
      forcePathStyle: z.boolean(),
      accessKeyId: OptionalRef,
      secretAccessKey: OptionalRef,
    }),
    folderPath: z.string(),
    recipients: z
      .string()
      .refine(
        (s) => lines(s).length > 0 && lines(s).every((l) => AGE_RECIPIENT.test(l)),
        "one age1… recipient per line",
      ),
    identity: OptionalRef,
    neonEnabled: z.boolean(),
    neon: z.object({
      projectId: z.string(),
      apiKey: OptionalRef,
      apiHost: z.string(),
      defaultBranch: z.string(),
      database: z.string(),
      role: z.string(),
      /** Empty (NaN from the number field): what the project's plan allows. */
      requiredRecoveryWindowHours: z.number().positive().or(z.nan()),
    }),
    alerts: z.object({ maxBackupAgeMinutes: z.number().int().positive(), sizeDropPercent: z.number().min(1).max(100) }),
    targets: z.object({ rtoMinutes: z.number().positive(), rpoMinutes: z.number().positive() }),
    contacts: z.array(
      z.object({
        role: z.string().min(1, "required"),
        name: z.string().min(1, "required"),
        contact: z.string().min(1, "required"),
      }),
    ),
    escalation: z.string(),
    schedule: z.object({
      timezone: z.string(),
      backup: z.string(),
      verify: z.string(),
      neonTest: z.string(),
      drill: z.string(),
      backupHeartbeat: OptionalRef,
      verifyHeartbeat: OptionalRef,
      neonTestHeartbeat: OptionalRef,
      drillHeartbeat: OptionalRef,
    }),
    monitoring: z.object({ webhook: OptionalRef, quotaGiB: z.string(), quotaWarnPercent: z.number().min(1).max(100) }),
  })
  .superRefine((v, ctx) => {
    for (const [key] of FORM_JOBS) {
      const problem = v.schedule[key].trim() ? scheduleProblem(v.schedule[key]) : undefined;
      if (problem) ctx.addIssue({ code: "custom", path: ["schedule", key], message: problem });
    }
    if (v.schedule.timezone.trim() && !isTimeZone(v.schedule.timezone.trim()))
      ctx.addIssue({
        code: "custom",
        path: ["schedule", "timezone"],
        message: "an IANA time zone such as Europe/Berlin",
      });
    if (v.schedule.neonTest.trim() && !v.neonEnabled)
      ctx.addIssue({
        code: "custom",
        path: ["schedule", "neonTest"],
        message: "the weekly Neon test needs the Neon section",
      });
    if (v.monitoring.quotaGiB.trim() && !(Number(v.monitoring.quotaGiB) > 0))
      ctx.addIssue({
        code: "custom",
        path: ["monitoring", "quotaGiB"],
        message: "a size in GiB, or empty for no quota",
      });
    if (v.storageKind === "s3" && v.s3.bucket.trim().length < 3)
      ctx.addIssue({ code: "custom", path: ["s3", "bucket"], message: "a bucket name" });
    if (v.storageKind === "folder" && !v.folderPath.trim())
      ctx.addIssue({ code: "custom", path: ["folderPath"], message: "a folder" });
    if (v.neonEnabled && !v.neon.projectId.trim())
      ctx.addIssue({ code: "custom", path: ["neon", "projectId"], message: "the Neon project id" });
    if (v.neonEnabled && !v.neon.apiKey)
      ctx.addIssue({
        code: "custom",
        path: ["neon", "apiKey"],
        message: "a keychain: or env: reference to the API key",
      });
  });
export type ProfileForm = z.infer<typeof ProfileForm>;

export function emptyForm(): ProfileForm {
  return {
    name: "",
    db: { host: "", port: 5432, database: "", user: "", password: "", sslmode: "require" },
    storageKind: "s3",
    s3: {
      bucket: "",
      prefix: "",
      region: "us-east-1",
      endpoint: "",
      forcePathStyle: false,
      accessKeyId: "",
      secretAccessKey: "",
    },
    folderPath: "",
    recipients: "",
    identity: "",
    neonEnabled: false,
    neon: {
      projectId: "",
      apiKey: "",
      apiHost: "",
      defaultBranch: "",
      database: "neondb",
      role: "neondb_owner",
      requiredRecoveryWindowHours: NaN,
    },
    alerts: { maxBackupAgeMinutes: 1440, sizeDropPercent: 50 },
    targets: { rtoMinutes: 30, rpoMinutes: 1 },
    contacts: [],
    escalation: "",
    schedule: {
      timezone: "",
      ...(Object.fromEntries(
        FORM_JOBS.flatMap(([k]) => [
          [k, ""],
          [`${k}Heartbeat`, ""],
        ]),
      ) as Omit<ScheduleForm, "timezone">),
    },
    monitoring: { webhook: "", quotaGiB: "", quotaWarnPercent: 80 },
  };
}

export function fromProfile(p: Profile): ProfileForm {
  const f = emptyForm();
  return {
    name: p.name,
    db: {
      host: p.database.host,
      port: p.database.port,
      database: p.database.database,
      user: p.database.user,
      password: p.database.password ?? "",
      sslmode: p.database.sslmode,
    },
    storageKind: p.storage.kind,
    s3:
      p.storage.kind === "s3"
        ? {
            bucket: p.storage.bucket,
            prefix: p.storage.prefix,
            region: p.storage.region,
            endpoint: p.storage.endpoint ?? "",
            forcePathStyle: p.storage.forcePathStyle,
            accessKeyId: p.storage.accessKeyId ?? "",
            secretAccessKey: p.storage.secretAccessKey ?? "",
          }
        : f.s3,
    folderPath: p.storage.kind === "folder" ? p.storage.path : "",
    recipients: p.encryption.recipients.join("\n"),
    identity: p.encryption.identity ?? "",
    neonEnabled: !!p.neon,
    neon: p.neon
      ? {
          projectId: p.neon.projectId,
          apiKey: p.neon.apiKey,
          apiHost: p.neon.apiHost ?? "",
          defaultBranch: p.neon.defaultBranch ?? "",
          database: p.neon.database,
          role: p.neon.role,
          requiredRecoveryWindowHours: p.neon.requiredRecoveryWindowHours ?? NaN,
        }
      : f.neon,
    alerts: { ...p.alerts },
    targets: { ...p.targets },
    contacts: p.contacts.map((c) => ({ ...c })),
    escalation: p.escalation.join("\n"),
    schedule: {
      timezone: p.schedule?.timezone ?? "",
      ...(Object.fromEntries(
        FORM_JOBS.flatMap(([k, job]) => [
          [k, p.schedule?.[job]?.at ?? ""],
          [`${k}Heartbeat`, p.schedule?.[job]?.heartbeat ?? ""],
        ]),
      ) as Omit<ScheduleForm, "timezone">),
    },
    monitoring: {
      webhook: p.monitoring.webhook ?? "",
      quotaGiB: p.monitoring.quotaBytes ? String(p.monitoring.quotaBytes / 2 ** 30) : "",
      quotaWarnPercent: p.monitoring.quotaWarnPercent,
    },
  };
}

const opt = <K extends string>(key: K, v: string) => (v.trim() ? ({ [key]: v.trim() } as Record<K, string>) : {});

function neonOf(v: ProfileForm, existing?: Profile): NonNullable<ProfileInput["neon"]> {
  const { requiredRecoveryWindowHours: _kept, ...rest } = existing?.neon ?? { requiredRecoveryWindowHours: undefined };
  return {
    ...rest,
    projectId: v.neon.projectId.trim(),
    apiKey: v.neon.apiKey,
    database: v.neon.database || "neondb",
    role: v.neon.role || "neondb_owner",
    // Empty: no requirement of the profile's own; the plan's default applies.
    ...(Number.isFinite(v.neon.requiredRecoveryWindowHours)
      ? { requiredRecoveryWindowHours: v.neon.requiredRecoveryWindowHours }
      : {}),
    ...opt("apiHost", v.neon.apiHost),
    ...opt("defaultBranch", v.neon.defaultBranch),
  };
}

/** The Profile to save; keeps what the form does not edit (tools, verify scratch, drill settings) from `existing`. */
export function toProfile(v: ProfileForm, existing?: Profile): ProfileInput {
  return {
    ...(existing ?? {}),
    name: v.name,
    database: {
      host: v.db.host.trim(),
      port: v.db.port,
      database: v.db.database.trim(),
      user: v.db.user.trim(),
      sslmode: v.db.sslmode,
      ...opt("password", v.db.password),
      // Not edited here: kept (Neon's endpoint option for the sandbox and for clients without SNI).
      ...(existing?.database.options ? { options: existing.database.options } : {}),
    },
    storage:
      v.storageKind === "s3"
        ? {
            kind: "s3",
            bucket: v.s3.bucket.trim(),
            prefix: v.s3.prefix,
            region: v.s3.region || "us-east-1",
            forcePathStyle: v.s3.forcePathStyle,
            ...opt("endpoint", v.s3.endpoint),
            ...opt("accessKeyId", v.s3.accessKeyId),
            ...opt("secretAccessKey", v.s3.secretAccessKey),
          }
        : { kind: "folder", path: v.folderPath.trim() },
    encryption: { recipients: lines(v.recipients), ...opt("identity", v.identity) },
    ...(v.neonEnabled ? { neon: neonOf(v, existing) } : { neon: undefined }),
    alerts: v.alerts,
    targets: v.targets,
    contacts: v.contacts,
    escalation: lines(v.escalation),
    ...withSchedule(scheduleOf(v, existing), existing),
    monitoring: {
      ...keptMonitoring(existing),
      quotaWarnPercent: v.monitoring.quotaWarnPercent,
      ...opt("webhook", v.monitoring.webhook),
      ...(v.monitoring.quotaGiB.trim() ? { quotaBytes: Math.round(Number(v.monitoring.quotaGiB) * 2 ** 30) } : {}),
    },
  };
}

/** The schedule key: set, cleared (an existing one removed), or absent as before. */
const withSchedule = (schedule: ProfileInput["schedule"], existing?: Profile) =>
  schedule ? { schedule } : existing?.schedule ? { schedule: undefined } : {};

/** Monitoring settings the form does not show (the cadence factors), without the ones it does. */
function keptMonitoring(existing?: Profile): Partial<Profile["monitoring"]> {
  if (!existing) return {};
  const { webhook: _webhook, quotaBytes: _quota, ...rest } = existing.monitoring;
  return rest;
}

/** The schedule to save: the jobs the form sets; retry settings the form does not show are kept. None set: none. */
function scheduleOf(v: ProfileForm, existing?: Profile): ProfileInput["schedule"] {
  const jobs = FORM_JOBS.filter(([k]) => v.schedule[k].trim());
  if (!jobs.length) return undefined;
  return {
    ...(existing?.schedule?.retry ? { retry: existing.schedule.retry } : {}),
    ...opt("timezone", v.schedule.timezone),
    ...Object.fromEntries(
      jobs.map(([k, job]) => [job, { at: v.schedule[k].trim(), ...opt("heartbeat", v.schedule[`${k}Heartbeat`]) }]),
    ),
  };
}

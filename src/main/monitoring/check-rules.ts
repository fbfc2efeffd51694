// What `lifeboat check` (and the fleet view, and the metrics) conclude from the facts about a profile: one finding per
// thing looked at, each OK, WARNING, CRITICAL or UNKNOWN, and an alert for each that is not OK. Pure: the facts and
// the clock in, the judgement out.
//
// Ages are judged against the profile's own cadence (a daily backup is late at 1.5 days and critical at 2, an hourly
// one at 1.5 and 2 hours; monitoring.warnAfterCadences / criticalAfterCadences). Without a backup schedule,
// alerts.maxBackupAgeMinutes is the critical age (the seed's "no backup in more than 15 minutes"). The newest
// restore that was PROVEN (a deep verify or a DR drill that passed) is judged the same way against the verify or drill
// schedule (weekly when neither is scheduled): a backup nobody has restored is not yet a backup.
import { severityRank, type Alert, type AlertSeverity } from "../../shared/alert.ts";
import type { Profile } from "../../shared/config.ts";
import type { ErrorInfo } from "../../shared/errors.ts";
import type { CheckFinding, NagiosState, ProfileFacts } from "../../shared/monitoring/monitoring-schemas.ts";
import { cadenceMs } from "../../shared/schedule/occurrences.ts";
import { JOB_LABELS } from "../../shared/schedule/schedule-config.ts";
import { backupSizeAlert, backupTestAlert, unreachableAlert } from "../alerts/alert-rules.ts";
import { formatBytes, formatDuration as dur } from "../../shared/format.ts";
import { scheduleZone } from "../schedule/job-plan.ts";
import type { StoreFacts } from "./store-facts.ts";

const WEEK_MS = 7 * 86_400_000;

export interface TestOutcome {
  kind: string;
  at: string;
  ok: boolean;
  host?: string;
  backupId?: string;
  seq?: number;
  /** The journal record's summary, when the test comes from the journal. */
  summary?: string;
}

export interface RawFacts {
  store?: StoreFacts;
  storeError?: ErrorInfo;
  /** Backup tests from this machine's journal and from the store's run records, any order. */
  tests: TestOutcome[];
  database?: { reachable: boolean; latencyMs?: number; error?: ErrorInfo };
  neon?: ProfileFacts["neon"];
}

const STATE_OF: Record<AlertSeverity, NagiosState> = {
  CRITICAL: "CRITICAL",
  HIGH: "CRITICAL",
  MEDIUM: "WARNING",
  LOW: "WARNING",
};

export function worstState(states: NagiosState[]): NagiosState {
  // UNKNOWN only wins over OK: a known CRITICAL is more useful to the pager than "could not tell".
  if (states.includes("CRITICAL")) return "CRITICAL";
  if (states.includes("WARNING")) return "WARNING";
  if (states.includes("UNKNOWN")) return "UNKNOWN";
  return "OK";
}

function byAge(ageMs: number, cadence: number, p: Profile): NagiosState {
  if (ageMs > p.monitoring.criticalAfterCadences * cadence) return "CRITICAL";
  if (ageMs > p.monitoring.warnAfterCadences * cadence) return "WARNING";
  return "OK";
}

function newest<T extends { at: string }>(xs: T[]): T | undefined {
  return xs.reduce<T | undefined>((a, x) => (!a || Date.parse(x.at) > Date.parse(a.at) ? x : a), undefined);
}

const PROOFS = new Set(["verify.deep", "drill.restore"]);

export function judge(profile: Profile, raw: RawFacts, now: Date): Omit<ProfileFacts, "profile"> {
  const findings: (CheckFinding & { alert?: Alert })[] = [];
  const add = (
    item: string,
    state: NagiosState,
    detail: string,
    alert?: Omit<Alert, "profile" | "severity"> & { severity?: AlertSeverity },
  ) =>
    findings.push({
      item,
      state,
      detail,
      ...(alert && state !== "OK"
        ? {
            alert: {
              profile: profile.name,
              severity: alert.severity ?? (state === "CRITICAL" ? "CRITICAL" : "MEDIUM"),
              ...alert,
            },
          }
        : {}),
    });
  const fromAlert = (item: string, a: Alert | undefined, ok: string, state?: NagiosState) =>
    a
      ? findings.push({ item, state: state ?? STATE_OF[a.severity], detail: a.message, alert: a })
      : add(item, "OK", ok);
  const tz = scheduleZone(profile);
  const s = raw.store;
  const m = s?.newest[0];

  // The store, and the backups in it.
  if (!s) fromAlert("store", unreachableAlert(profile, "storage", raw.storeError), "");
  else add("store", "OK", `${s.description}: ${s.backupCount} backups, ${formatBytes(s.bytes)}`);
  if (s && !m)
    add("backup age", "CRITICAL", "no backup exists", {
      id: `${profile.name}:backup-missing`,
      rule: "backup-missing",
      title: "No backup exists",
      message: `Profile ${profile.name} has no committed backup in its store.`,
      hint: "Run a backup now, and schedule one (`lifeboat schedule`).",
    });
  if (m) {
    const age = now.getTime() - Date.parse(m.finishedAt);
    const at = profile.schedule?.backup?.at;
    const cadence = at
      ? cadenceMs(at, tz, now)
      : (profile.alerts.maxBackupAgeMinutes * 60_000) / profile.monitoring.criticalAfterCadences;
    const state = byAge(age, cadence, profile);
    const limits = `warning after ${dur(profile.monitoring.warnAfterCadences * cadence)}, critical after ${dur(profile.monitoring.criticalAfterCadences * cadence)}${at ? ` (${at})` : ""}`;
    add("backup age", state, `last backup ${m.id} ${dur(age)} old; ${limits}`, {
      id: `${profile.name}:backup-stale:${m.id}`,
      rule: "backup-stale",
      title: "Last backup is too old",
      message: `The newest backup of ${profile.name} finished ${dur(age)} ago; ${limits}.`,
      hint: "Run a backup now and find out why the scheduled one did not run (`lifeboat schedule status`, the journal).",
      since: m.finishedAt,
    });
    fromAlert("backup size", s && s.newest.length > 1 ? backupSizeAlert(profile, s.newest) : undefined, "no drop");
  }

  // Scheduled runs: the last run of each job, and which machine ran it.
  for (const [job, run] of Object.entries(s?.jobs ?? {})) {
    if (!run || run.status !== "failed" || !profile.schedule?.[run.job]) continue;
    add(
      `${job} run`,
      job === "backup" ? "CRITICAL" : "WARNING",
      `last scheduled ${job} failed on ${run.machine.host} at ${run.finishedAt}: ${run.error?.message ?? "?"}`,
      {
        id: `${profile.name}:job-failed:${job}`,
        rule: "job-failed",
        severity: job === "backup" ? "CRITICAL" : "HIGH",
        title: `Scheduled ${JOB_LABELS[run.job]} failed`,
        message: `The last scheduled ${job} of ${profile.name} (on ${run.machine.host}, ${run.finishedAt}) failed: ${run.error?.message ?? "?"}`,
        ...(run.error?.hint ? { hint: run.error.hint } : {}),
        since: run.finishedAt ?? run.startedAt,
      },
    );
  }

  // Backup tests: the newest one, and the newest restore proven.
  const lastTest = newest(raw.tests);
  if (lastTest && !lastTest.ok)
    fromAlert(
      "backup test",
      backupTestAlert(profile, {
        kind: lastTest.kind,
        ts: lastTest.at,
        ok: false,
        seq: lastTest.seq ?? 0,
        summary: lastTest.summary ?? `${lastTest.kind}${lastTest.host ? ` on ${lastTest.host}` : ""}`,
      }),
      "",
    );
  const proof = newest(raw.tests.filter((t) => t.ok && PROOFS.has(t.kind)));
  const testAts = (["verify", "drill"] as const).flatMap((j) =>
    profile.schedule?.[j] ? [profile.schedule[j].at] : [],
  );
  const proofCadence = testAts.length ? Math.min(...testAts.map((a) => cadenceMs(a, tz, now))) : WEEK_MS;
  const proofRule = {
    id: `${profile.name}:restore-unproven`,
    rule: "restore-unproven" as const,
    title: "No recent proven restore",
  };
  if (!proof)
    add("last proven restore", "WARNING", "no restore has been proven yet (deep verify or DR drill)", {
      ...proofRule,
      message: `No deep verify or DR drill of ${profile.name} has passed yet: nobody knows whether its backups restore.`,
      hint: "Run `lifeboat verify latest --deep`, and schedule a verify or a drill.",
    });
  else {
    const age = now.getTime() - Date.parse(proof.at);
    const state = byAge(age, proofCadence, profile);
    add("last proven restore", state, `${proof.kind} passed ${dur(age)} ago${proof.host ? ` on ${proof.host}` : ""}`, {
      ...proofRule,
      severity: state === "CRITICAL" ? "HIGH" : "MEDIUM",
      message: `The last restore of ${profile.name} that was proven (${proof.kind}) passed ${dur(age)} ago; expected every ${dur(proofCadence)}.`,
      hint: "Run `lifeboat verify latest --deep`, or check why the scheduled verify or drill did not run.",
      since: proof.at,
    });
  }

  // Store capacity against the quota.
  const quota = profile.monitoring.quotaBytes;
  if (s && quota) {
    const pct = (s.bytes / quota) * 100;
    const state: NagiosState = pct >= 100 ? "CRITICAL" : pct >= profile.monitoring.quotaWarnPercent ? "WARNING" : "OK";
    add("store quota", state, `${formatBytes(s.bytes)} of ${formatBytes(quota)} (${pct.toFixed(1)}%)`, {
      id: `${profile.name}:store-quota`,
      rule: "store-quota",
      severity: state === "CRITICAL" ? "HIGH" : "MEDIUM",
      title: pct >= 100 ? "Backup store over its quota" : "Backup store nearly full",
      message: `The backups of ${profile.name} use ${formatBytes(s.bytes)} of the ${formatBytes(quota)} quota (${pct.toFixed(1)}%).`,
      hint: "Prune old backups or raise monitoring.quotaBytes (and the bucket's own limit) before backups start failing.",
    });
  }

  if (raw.database)
    fromAlert(
      "database",
      unreachableAlert(profile, "database", raw.database.error),
      `reachable (${raw.database.latencyMs ?? "?"} ms)`,
    );

  const n = raw.neon;
  if (n && !n.reachable) add("neon", "WARNING", `the Neon API did not answer: ${n.error?.message ?? "?"}`);
  if (n?.reachable) {
    add(
      "neon protected branch",
      n.protected ? "OK" : "WARNING",
      n.protected ? `${n.branch} is protected` : `${n.branch} is not a protected branch`,
      {
        id: `${profile.name}:neon-unprotected`,
        rule: "neon-unprotected",
        title: "Production is not a protected branch",
        message: `Neon branch ${n.branch} of ${profile.name} is not protected: it can be deleted or reset by mistake.`,
        hint: "Protect it in the Neon console (Branches → the branch → Protect), Neon's recommended setup for production.",
      },
    );
    const sched = n.snapshotSchedule;
    add(
      "neon snapshot schedule",
      sched === null || sched === undefined || sched.length ? "OK" : "WARNING",
      sched === null || sched === undefined
        ? "not reported by this Neon API"
        : sched.length
          ? sched.join(", ")
          : "none",
      {
        id: `${profile.name}:neon-no-snapshots`,
        rule: "neon-no-snapshots",
        severity: "LOW",
        title: "No Neon snapshot schedule",
        message: `Neon takes no scheduled snapshots of ${n.branch} (${profile.name}).`,
        hint: "Set a snapshot schedule for the branch in the Neon console (Backup & restore); Lifeboat's backups do not replace it.",
      },
    );
    if (n.requiredSeconds && n.retentionSeconds !== undefined && n.retentionSeconds < n.requiredSeconds)
      add(
        "neon history window",
        "WARNING",
        `${dur(n.retentionSeconds * 1000)} kept, ${dur(n.requiredSeconds * 1000)} required`,
        {
          id: `${profile.name}:neon-window-short`,
          rule: "neon-window-short",
          severity: "HIGH",
          title: "Neon history window is too short",
          message: `Neon keeps ${dur(n.retentionSeconds * 1000)} of history; profile ${profile.name} requires ${dur(n.requiredSeconds * 1000)}.`,
        },
      );
  }

  const alerts = findings
    .flatMap((f) => (f.alert ? [f.alert] : []))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  const jobs = Object.fromEntries(
    Object.entries(s?.jobs ?? {}).map(([job, r]) => [
      job,
      {
        runId: r!.runId,
        job: r!.job,
        status: r!.status,
        machine: r!.machine,
        scheduledFor: r!.scheduledFor,
        startedAt: r!.startedAt,
        attempts: r!.attempts,
        ...(r!.finishedAt ? { finishedAt: r!.finishedAt } : {}),
        ...(r!.result ? { result: r!.result } : {}),
        ...(r!.error ? { error: r!.error } : {}),
        ...(r!.overran ? { overran: true } : {}),
      },
    ]),
  );
  return {
    store: {
      reachable: !!s,
      ...(s ? { description: s.description, bytes: s.bytes } : {}),
      ...(raw.storeError ? { error: raw.storeError } : {}),
      ...(quota ? { quotaBytes: quota } : {}),
    },
    ...(m
      ? {
          lastBackup: {
            id: m.id,
            finishedAt: m.finishedAt,
            bytes: m.object.bytes,
            tables: m.tables.length,
            rows: m.tables.reduce((a, t) => a + t.rows, 0),
            durationMs: Date.parse(m.finishedAt) - Date.parse(m.startedAt),
            databaseBytes: m.databaseBytes,
          },
        }
      : {}),
    ...(s ? { backupCount: s.backupCount } : {}),
    jobs,
    ...(lastTest
      ? {
          lastTest: {
            kind: lastTest.kind,
            at: lastTest.at,
            ok: lastTest.ok,
            ...(lastTest.host ? { host: lastTest.host } : {}),
          },
        }
      : {}),
    ...(proof
      ? {
          lastProvenRestore: {
            kind: proof.kind,
            at: proof.at,
            ...(proof.host ? { host: proof.host } : {}),
            ...(proof.backupId ? { backupId: proof.backupId } : {}),
          },
        }
      : {}),
    ...(raw.database ? { database: raw.database } : {}),
    ...(n ? { neon: n } : {}),
    alerts,
    findings: findings.map(({ item, state, detail }) => ({ item, state, detail })),
    state: worstState(findings.map((f) => f.state)),
  };
}

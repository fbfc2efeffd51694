// A fake engine for walking runbooks: it refuses any request its channel's schema refuses (so a runbook that builds a
// bad payload fails the test) and answers with results that pass the channel's result schema.
import { CHANNELS, isChannelName } from "../../../src/shared/api/channels.ts";
import type { ApiResult } from "../../../src/shared/api/api-result.ts";
import type { Invoke } from "../../../src/shared/runbooks/runbook-executor.ts";
import { OUTAGE_RESULTS } from "./fake-results-outage.ts";

export interface Call {
  channel: string;
  payload: Record<string, unknown>;
}

const record = (over: Record<string, unknown> = {}) => ({
  v: 1,
  seq: 1,
  ts: "2026-01-17T14:40:00.000Z",
  actor: { user: "dba", host: "laptop" },
  kind: "operator.note",
  summary: "x",
  details: {},
  outcome: "ok",
  prev: "0".repeat(64),
  hash: "1".repeat(64),
  ...over,
});

const branch = {
  id: "br-recovery-1",
  name: "recovery-20260117-1429",
  createdAt: "2026-01-17T14:40:00Z",
  state: "ready",
  default: false,
  protected: false,
  lifeboat: true,
};

const manifest = {
  format: "lifeboat-backup/1",
  id: "20260117T020000Z-ab12",
  profile: "sandbox",
  database: "neondb",
  server: { version: "17.2", major: 17 },
  pgDump: { version: "17.2", major: 17 },
  startedAt: "2026-01-17T02:00:00Z",
  finishedAt: "2026-01-17T02:01:00Z",
  object: { key: "k", bytes: 1000, sha256: "a".repeat(64) },
  dumpBytes: 2000,
  databaseBytes: 9000,
  snapshot: "00000003-1",
  tables: [{ schema: "public", table: "Patient", rows: 150 }],
  compression: { algorithm: "zstd" },
  encryption: { format: "age-v1", recipients: ["age1..."] },
  restoreCommand: "aws s3 cp …",
  lifeboatVersion: "0.1.0",
};

const report = {
  id: "inc-20260117-1440-abcd",
  title: "Bulk delete",
  drill: false,
  status: "closed",
  targets: { rtoMinutes: 30, rpoMinutes: 1 },
  rto: { fromLabel: "detection", achievedMs: 600_000, met: true },
  rpo: { basis: "unknown" },
  checklist: [],
  notes: [],
  decisions: [],
  followUps: [],
  steps: [],
  operations: [],
  contacts: [],
  counts: { records: 3, byOutcome: {}, operations: 0, omitted: 0 },
};

export const SAMPLE_RESULTS: Record<string, unknown> = {
  ...OUTAGE_RESULTS,
  "backups.run": manifest,
  "incidents.open": { id: "inc-20260117-1440-abcd", record: record({ kind: "incident.open" }) },
  "incidents.note": record(),
  "incidents.checklist": record({ kind: "incident.checklist" }),
  "incidents.serviceRestored": record({ kind: "incident.service-restored" }),
  "incidents.close": { record: record({ kind: "incident.close" }), report },
  "runbooks.record": record({ kind: "operator.step" }),
  "forensics.audit": {
    production: "neondb_owner@db:5432/neondb",
    auditTable: "AuditLog",
    window: { since: "2026-01-17T14:00:00Z", until: "2026-01-17T15:00:00Z", bucketSeconds: 60, buckets: 60 },
    events: 42,
    bursts: [
      {
        table: "ClinicalNote",
        action: "DELETE",
        bucketStart: "2026-01-17T14:35:00Z",
        bucketEnd: "2026-01-17T14:36:00Z",
        count: 42,
        first: "2026-01-17T14:35:00Z",
        last: "2026-01-17T14:35:30Z",
        baselinePerBucket: 0.1,
        score: 40,
        anomalous: true,
      },
    ],
    incidentTables: ["ClinicalNote", "Patient"],
    firstBadAt: "2026-01-17T14:35:00Z",
    suggestedRecoveryPoint: "2026-01-17T14:34:59Z",
    suggestedDamagedPoint: "2026-01-17T14:35:02Z",
    reasoning: [],
  },
  "neon.recoverTo": {
    branch,
    pointInTime: "2026-01-17T14:34:59Z",
    input: "2026-01-17T14:34:59Z",
    host: "127.0.0.1",
    endpointId: "ep-recovery-1",
    database: "neondb",
    role: "neondb_owner",
    durationMs: 900,
    operationsWaited: 2,
    holds: "main as of 2026-01-17T14:34:59Z",
    warnings: [],
  },
  "forensics.diff": {
    table: "ClinicalNote",
    mode: "primary-key",
    primaryKey: ["id"],
    counts: { branch: 100, production: 58 },
    missingInProduction: 42,
    changed: 0,
    extraInProduction: 0,
    identical: 58,
    sampleMissing: [],
    sampleChanged: [],
    sampleExtra: [],
    columnsOnlyInBranch: [],
    columnsOnlyInProduction: [],
    durationMs: 10,
  },
  "forensics.copy": {
    table: "ClinicalNote",
    dryRun: true,
    primaryKey: ["id"],
    selection: { kind: "all-missing" },
    branchSelected: 100,
    missingFound: 42,
    rows: 42,
    skippedExisting: 0,
    before: 58,
    after: 100,
    sequences: [],
    columnsNotCopied: [],
    sampleKeys: [],
    productionDatabase: "neondb",
    durationMs: 10,
  },
  "forensics.plan": {
    plan: {
      planId: "plan-20260117-143800-abcdef",
      createdAt: "2026-01-17T14:38:00Z",
      states: "three",
      production: "neondb_owner@127.0.0.1:5432/neondb",
      sources: { before: "Neon branch br-recovery-1", damaged: "Neon branch br-recovery-1" },
      tables: [],
      totals: { reinsert: 42, restore: 31, conflict: 3, inserted: 2, later: 1, repaired: 0, unchanged: 500 },
      entries: 78,
      warnings: [],
    },
    digest: "d".repeat(64),
    file: "/tmp/plans/plan-20260117-143800-abcdef.plan.jsonl",
    bytes: 4096,
  },
  "forensics.apply": {
    planId: "plan-20260117-143800-abcdef",
    digest: "d".repeat(64),
    dryRun: true,
    tables: [
      { table: "public.ClinicalNote", inserted: 42, updated: 0, deleted: 0, sequences: [], triggersDisabled: [] },
    ],
    leftAlone: { undecided: 5, kept: 0 },
    durationMs: 300,
  },
  "forensics.verify": {
    planId: "plan-20260117-143800-abcdef",
    verifyPlanId: "plan-20260117-143900-abcdef",
    tables: [],
    undecided: 0,
    decided: 5,
    green: true,
  },
  "forensics.schemaDiff": {
    droppedTables: [],
    newTables: [],
    droppedColumns: [{ table: "ClinicalNote", column: "summary", type: "text", notNull: false, default: null }],
    newColumns: [],
    typeChanges: [],
    nullabilityChanges: [],
    tablesCompared: 6,
  },
  "forensics.restoreDropped": {
    table: "ClinicalNote",
    column: "summary",
    dryRun: true,
    definition: "ADD COLUMN summary text",
    rows: 100,
    branchRows: 100,
    productionRows: 100,
    productionRowsNotOnBranch: 0,
    notNull: { onBranch: false, applied: false, nullsRemaining: 0 },
    notes: [],
    productionDatabase: "neondb",
    durationMs: 10,
  },
  "dashboard.summary": {
    generatedAt: "2026-01-17T14:40:00Z",
    durationMs: 5,
    profiles: [
      {
        profile: "sandbox",
        database: {
          reachable: false,
          host: "db",
          name: "neondb",
          error: { code: "PG_UNREACHABLE", message: "connection refused" },
        },
        storage: { reachable: true },
        sizes: [],
        lastKnown: {},
        restoreTests: { total: 0, passed: 0, rate: null, windowDays: 30 },
        targets: { rtoMinutes: 30, rpoMinutes: 1 },
        alerts: [],
        durationMs: 5,
      },
    ],
  },
  "restore.run": {
    id: manifest.id,
    database: "restored",
    host: "db",
    created: true,
    tables: [{ table: "public.Patient", expected: 150, actual: 150, ok: true }],
    rows: 150,
    jobs: 1,
    durationMs: 800,
    warnings: [],
    source: {
      name: "region-b",
      description: "s3://clinic-eu-west-1/nightly",
      fallback: "could not reach the store: connect ECONNREFUSED",
    },
    connection: {
      profile: "sandbox",
      host: "db",
      port: 5432,
      database: "restored",
      user: "lifeboat",
      sslmode: "require",
      passwordRef: "keychain:sandbox-db",
      uri: "postgresql://lifeboat@db:5432/restored?sslmode=require",
    },
  },
  "drill.neon": {
    pass: true,
    profile: "sandbox",
    offset: "24 h",
    phases: [{ name: "create", ok: true, durationMs: 800 }],
    counts: [{ table: "Patient", rows: 150, previous: 150 }],
    failures: [],
    warnings: [],
    durationMs: 2000,
  },
  "drill.verdict": {
    pass: true,
    verdict: "PASS",
    reason: "Neon drill: branched back 24 hours and counted 6 key tables, as expected; deep verify passed.",
    checks: [{ name: "Neon drill", pass: true, detail: "branched back", seq: 4 }],
    record: record({ kind: "backup-test.verdict", outcome: "ok" }),
  },
  "incidents.detectedAt": record({ kind: "incident.detected-at" }),
  "backups.list": { profile: "clinic", store: "s3://b", backups: [manifest], incomplete: [], invalid: [] },
  "backups.verify": {
    id: manifest.id,
    ok: true,
    bytes: 1000,
    sha256: "a".repeat(64),
    tables: [],
    deep: {
      scratch: "local-cluster",
      database: "x",
      tables: [{ table: "public.Patient", expected: 150, actual: 150, ok: true }],
      durationMs: 10,
    },
    verdict: { pass: true, reason: "Backup restores." },
    durationMs: 20,
  },
};

/** An invoke that validates requests and results against the contract; `override` changes a channel's answer. */
export function fakeApi(override: Record<string, (payload: Record<string, unknown>) => ApiResult> = {}): {
  invoke: Invoke;
  calls: Call[];
} {
  const calls: Call[] = [];
  // Like production: once the rows are copied back (or the plan applied), nothing is missing any more.
  let copied = false;
  let repaired = false;
  // Like production: once the branch is restored in place, the database answers again.
  let restored = false;
  const stateful: Record<string, (payload: Record<string, unknown>) => ApiResult> = {
    "forensics.apply": (p) => {
      if (p.dryRun === false) repaired = true;
      return { ok: true, value: { ...(SAMPLE_RESULTS["forensics.apply"] as object), dryRun: p.dryRun } };
    },
    "forensics.verify": () => ({
      ok: true,
      value: {
        ...(SAMPLE_RESULTS["forensics.verify"] as object),
        ...(repaired ? {} : { green: false, undecided: 78 }),
      },
    }),
    "forensics.copy": (p) => {
      if (p.dryRun === false) copied = true;
      return { ok: true, value: { ...(SAMPLE_RESULTS["forensics.copy"] as object), dryRun: p.dryRun } };
    },
    "neon.restore": () => {
      restored = true;
      return { ok: true, value: SAMPLE_RESULTS["neon.restore"] };
    },
    "dashboard.summary": () => {
      const answer = SAMPLE_RESULTS["dashboard.summary"] as { profiles: { database: object }[] };
      if (!restored) return { ok: true, value: answer };
      const [p] = answer.profiles;
      const database = { ...p!.database, reachable: true, latencyMs: 3 };
      return { ok: true, value: { ...answer, profiles: [{ ...p, database }] } };
    },
    "forensics.diff": () => ({
      ok: true,
      value: {
        ...(SAMPLE_RESULTS["forensics.diff"] as object),
        ...(copied ? { missingInProduction: 0, counts: { branch: 100, production: 100 } } : {}),
      },
    }),
  };
  const invoke: Invoke = async (channel, payload) => {
    calls.push({ channel, payload: payload as Record<string, unknown> });
    if (!isChannelName(channel)) throw new Error(`runbook used unknown channel ${channel}`);
    const req = CHANNELS[channel].request.safeParse(payload);
    if (!req.success)
      throw new Error(`${channel} refused the payload ${JSON.stringify(payload)}: ${req.error.message}`);
    const answer = (override[channel] ?? stateful[channel])?.(payload as Record<string, unknown>) ?? {
      ok: true as const,
      value: SAMPLE_RESULTS[channel],
    };
    if (answer.ok) {
      if (answer.value === undefined) throw new Error(`no sample result for ${channel}`);
      const res = CHANNELS[channel].result.safeParse(answer.value);
      if (!res.success) throw new Error(`sample result of ${channel} breaks its schema: ${res.error.message}`);
    }
    return answer;
  };
  return { invoke, calls };
}

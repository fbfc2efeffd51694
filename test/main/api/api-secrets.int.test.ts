// The renderer never receives a secret. Real everything: the Neon sandbox (real PostgreSQL with point-in-time
// recovery), a local S3 server, a private OS keychain. Secrets are planted where operators keep them (the database
// password and the age identity in the keychain, the S3 secret and the Neon API key in the environment), then every
// channel is called with the payloads the screens send, through the router, and every answer and every progress event
// is searched for each secret.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import pg from "pg";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiRouter, type ApiRouter } from "../../../src/main/api/router.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { setKeychainSecret } from "../../../src/main/secrets/keychain.ts";
import { startSandbox, type Sandbox } from "../../../src/main/sandbox/index.ts";
import { CHANNEL_NAMES, type ChannelName } from "../../../src/shared/api/channels.ts";
import type { ProgressEvent } from "../../../src/shared/api/bridge.ts";
import type { ProfileInput } from "../../../src/shared/config.ts";
import { startKeyring, type KeyringHarness } from "../../harness/keyring.ts";
import { startS3, type S3Harness } from "../../harness/s3.ts";

const BUCKET = "lifeboat-api-test";
let dir: string;
let keyring: KeyringHarness | undefined;
let skip: string | undefined;
let sandbox: Sandbox | undefined;
let s3: S3Harness | undefined;
let journal: OpenJournal | undefined;
let router: ApiRouter;
let secrets: string[] = [];
/** Passwords neon.connectionString revealed on request: in no other answer, and nowhere on disk. */
const revealed: string[] = [];
let production = "";
const seen: { channel: string; text: string }[] = [];
const called = new Set<ChannelName>();

/** Every call goes through here: the answer and its progress events are kept for the secret search. */
async function call<C extends ChannelName>(channel: C, payload: unknown) {
  const events: ProgressEvent[] = [];
  const r = await router.invoke(channel, payload, { onProgress: (e) => events.push(e) });
  called.add(channel);
  seen.push(
    { channel, text: JSON.stringify(r) },
    ...events.map((e) => ({ channel: `${channel} (progress)`, text: JSON.stringify(e) })),
  );
  return Object.assign(r, { events });
}

function ok<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

before(async () => {
  const k = await startKeyring();
  if ("skip" in k) {
    skip = k.skip;
    return;
  }
  keyring = k;
  dir = await mkdtemp(join(tmpdir(), "lifeboat-api-secrets-"));
  await chmod(dir, 0o755);
  const apiKey = `napi_${randomBytes(16).toString("hex")}`;
  sandbox = await startSandbox({
    dir: join(dir, "sandbox"),
    fast: true,
    scale: 1,
    apiKey,
    historyRetentionSeconds: 6 * 3600,
    say: () => undefined,
  });
  s3 = await startS3({ buckets: [BUCKET] });
  const conn = sandbox.connInfo()!;
  production = conn.database;
  const { identity, recipient } = generateIdentity();
  await setKeychainSecret("api-test-db-password", conn.password!);
  await setKeychainSecret("api-test-age-identity", identity);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_TEST_S3_KEY: s3.accessKeyId,
    API_TEST_S3_SECRET: s3.secretAccessKey,
    API_TEST_NEON_KEY: apiKey,
  };
  const profile: ProfileInput = {
    name: "clinic",
    database: {
      host: conn.host,
      port: conn.port,
      database: conn.database,
      user: conn.user,
      password: "keychain:api-test-db-password",
      sslmode: "disable",
    },
    storage: {
      kind: "s3",
      bucket: BUCKET,
      prefix: "nightly",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:API_TEST_S3_KEY",
      secretAccessKey: "env:API_TEST_S3_SECRET",
    },
    encryption: { recipients: [recipient], identity: "keychain:api-test-age-identity" },
    neon: {
      projectId: sandbox.projectId,
      apiKey: "env:API_TEST_NEON_KEY",
      apiHost: sandbox.apiUrl,
      database: sandbox.database,
      role: sandbox.role,
      requiredRecoveryWindowHours: 24,
    },
    contacts: [{ role: "Database Admin", name: "Amal Haddad", contact: "+1 555 0100" }],
    escalation: ["Page the on-call DBA", "Critical: CTO + DevOps"],
  };
  await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }, null, 2), {
    mode: 0o600,
  });
  journal = await openJournal({ dir: join(dir, "journal") });
  router = createApiRouter({
    configPath: join(dir, "config.json"),
    journal,
    env,
    shell: "browser",
    exportsDir: join(dir, "exports"),
  });
  secrets = [conn.password!, identity, s3.secretAccessKey, apiKey, "console-typed-secret-9c1f7e"];
});

after(async () => {
  await journal?.close().catch(() => undefined);
  await sandbox?.stop().catch(() => undefined);
  await s3?.stop().catch(() => undefined);
  await keyring?.stop().catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("every channel, with realistic payloads, against real services", { skip: skip }, () => {
  test("settings: profiles, pre-flight checks, secret status, a secret typed into the console", async (t) => {
    if (skip) return t.skip(skip);
    ok(await call("app.info", {}));
    assert.deepEqual(
      ok(await call("profiles.list", {})).profiles.map((p) => p.name),
      ["clinic"],
    );
    const p = ok(await call("profiles.get", { name: "clinic" }));
    assert.equal(p.database.password, "keychain:api-test-db-password", "references cross, values do not");
    ok(await call("profiles.save", { profile: { ...p, name: "clinic-copy" } }));
    ok(await call("profiles.remove", { name: "clinic-copy" }));
    const report = ok(await call("profiles.test", { name: "clinic" }));
    assert.equal(report.checks.find((c) => c.name === "database")?.ok, true, JSON.stringify(report.checks));
    const status = ok(await call("secrets.status", { profile: "clinic" }));
    assert.equal(status.keychain.available, true);
    assert.deepEqual(
      status.refs.map((r) => [r.field, r.state]),
      [
        ["database.password", "set"],
        ["storage.accessKeyId", "set"],
        ["storage.secretAccessKey", "set"],
        ["encryption.identity", "set"],
        ["neon.apiKey", "set"],
      ],
    );
    const stored = ok(await call("secrets.set", { name: "console-typed", value: "console-typed-secret-9c1f7e" }));
    assert.deepEqual(stored, { name: "console-typed", ref: "keychain:console-typed", stored: true });
    assert.deepEqual(ok(await call("secrets.delete", { name: "console-typed" })), {
      name: "console-typed",
      deleted: true,
    });
    assert.equal(ok(await call("keychain.status", {})).available, true);
    const key = ok(await call("keys.generate", { name: "console-generated-key" }));
    assert.match(key.recipient, /^age1/);
    assert.ok(ok(await call("tools.list", {})).postgres.length > 0);
  });

  test("backups: run (with progress), list, verify; restore pre-flight and restore proven by counts", async (t) => {
    if (skip) return t.skip(skip);
    const run = await call("backups.run", { profile: "clinic", operationId: "backup-1" });
    const m = ok(run);
    assert.ok(
      run.events.length > 0 && run.events.every((e) => e.operationId === "backup-1"),
      "progress tagged with the caller's id",
    );
    assert.equal(ok(await call("backups.list", { profile: "clinic" })).backups[0]?.id, m.id);
    assert.equal(ok(await call("backups.verify", { profile: "clinic", id: m.id, operationId: "verify-1" })).ok, true);
    const pre = ok(await call("restore.preflight", { profile: "clinic", id: m.id, database: "restored_clinic" }));
    assert.equal(pre.ok, true, JSON.stringify(pre.checks));
    const refused = ok(await call("restore.preflight", { profile: "clinic", id: m.id, database: production }));
    assert.equal(refused.ok, false, "production holds data: the pre-flight says so");
    const restored = ok(
      await call("restore.run", {
        profile: "clinic",
        id: m.id,
        database: "restored_clinic",
        noOwner: true,
        noAcl: true,
        operationId: "restore-1",
      }),
    );
    assert.ok(restored.tables.every((x) => x.ok) && restored.rows > 0);
    const cancel = ok(await call("operations.cancel", { operationId: "restore-1" }));
    assert.equal(cancel.cancelled, false, "it had finished");
  });

  test("Neon and forensics: status, a staged bulk delete found, a recovery branch, diff, dry-run copy, schema diff, snapshot, drill", async (t) => {
    if (skip) return t.skip(skip);
    const status = ok(await call("neon.status", { profile: "clinic" }));
    assert.equal(status.windowShort, true, "6 h kept, 24 h required");
    const incident = await sandbox!.stageIncident("bulk-delete");
    const audit = ok(await call("forensics.audit", { profile: "clinic" }));
    assert.ok(audit.suggestedRecoveryPoint, JSON.stringify(audit));
    const branch = ok(
      await call("neon.recoverTo", {
        profile: "clinic",
        point: { at: incident.lastGoodSecond },
        operationId: "recover-1",
      }),
    );
    assert.equal(branch.branch.lifeboat, true);
    const source = { kind: "neon-branch", branch: branch.branch.id };
    const table = String(incident.details.table ?? "Patient");
    const diffCall = await call("forensics.diff", { profile: "clinic", source, table });
    const diff = ok(diffCall);
    assert.ok(diff.missingInProduction > 0, JSON.stringify(diff));
    const rowsSeen = diffCall.events
      .map((e) => e.progress)
      .filter((p) => p.operation === "forensics" && p.phase === "compare");
    assert.ok(
      rowsSeen.length > 0 && rowsSeen.at(-1)!.rows === Math.max(diff.counts.branch, diff.counts.production),
      `the console sees the diff go by rows: ${JSON.stringify(rowsSeen)}`,
    );
    const dry = ok(await call("forensics.copy", { profile: "clinic", source, table, dryRun: true }));
    assert.equal(dry.rows, diff.missingInProduction);
    const noConfirm = await call("forensics.copy", { profile: "clinic", source, table, dryRun: false });
    assert.equal(!noConfirm.ok && noConfirm.error.code, "CONFIRMATION_REQUIRED");
    ok(await call("forensics.schemaDiff", { profile: "clinic", source }));
    const col = await call("forensics.restoreDropped", {
      profile: "clinic",
      source,
      table,
      column: "no_such_column",
      dryRun: true,
    });
    assert.equal(col.ok, false);
    // The repair plan with two states (the branch and now): the deleted rows are conflicts until decided.
    const plan = ok(
      await call("forensics.plan", {
        profile: "clinic",
        before: source,
        tables: [table],
        followForeignKeys: false,
        operationId: "plan-1",
      }),
    );
    const planId = plan.plan.planId;
    assert.equal(plan.plan.totals.conflict, diff.missingInProduction, JSON.stringify(plan.plan.totals));
    const rows = ok(await call("forensics.planRows", { planId, class: "conflict", limit: 5 }));
    assert.equal(rows.total, diff.missingInProduction);
    ok(
      await call("forensics.decide", {
        planId,
        all: { table: rows.rows[0]!.entry.table, class: "conflict", choice: "take-before" },
      }),
    );
    const dryRepair = ok(await call("forensics.apply", { profile: "clinic", planId, dryRun: true }));
    assert.equal(
      dryRepair.tables.reduce((a, x) => a + x.inserted, 0),
      diff.missingInProduction,
    );
    const unconfirmed = await call("forensics.apply", { profile: "clinic", planId, dryRun: false });
    assert.equal(!unconfirmed.ok && unconfirmed.error.code, "CONFIRMATION_REQUIRED");
    const stillDamaged = ok(await call("forensics.verify", { profile: "clinic", planId }));
    assert.equal(stillDamaged.green, false);
    ok(await call("forensics.exportPlan", { planId, format: "csv" }));
    const branches = ok(await call("neon.branches", { profile: "clinic" }));
    assert.ok(branches.branches.some((b) => b.id === branch.branch.id));
    const snap = ok(await call("neon.snapshot", { profile: "clinic" }));
    assert.match(snap.branch.name, /^emergency-/);
    const inPlace = await call("neon.restore", {
      profile: "clinic",
      branch: status.defaultBranch.name,
      source: { branch: snap.branch.id },
      confirm: "not-the-name",
    });
    assert.equal(!inPlace.ok && inPlace.error.code, "CONFIRMATION_REQUIRED");
    // The one channel that hands a secret over on purpose (the console's copy button): called outside `call`, so its
    // answer is not searched with the others; its password is then searched for in every other answer and on disk.
    for (const pooled of [false, true]) {
      const r = await router.invoke("neon.connectionString", { profile: "clinic", branch: branch.branch.id, pooled });
      called.add("neon.connectionString");
      const v = ok(r);
      assert.deepEqual([v.revealed, v.pooled, v.branch], [true, pooled, branch.branch.name]);
      const password = decodeURIComponent(new URL(v.uri).password);
      assert.ok(password.length >= 8);
      revealed.push(password);
      const c = new pg.Client({ connectionString: v.uri });
      await c.connect();
      try {
        assert.equal((await c.query('SELECT count(*)::int AS n FROM "Patient"')).rows[0].n > 0, true);
      } finally {
        await c.end();
      }
    }
    const left = ok(await call("incidents.leftovers", { profile: "clinic" }));
    assert.deepEqual(
      left.branches.map((b) => b.name).sort(),
      [branch.branch.name, snap.branch.name].sort(),
      "what recovery left is listed before a close",
    );
    ok(await call("neon.deleteBranch", { profile: "clinic", branch: branch.branch.id }));
    const cleaned = ok(await call("incidents.cleanUp", { profile: "clinic", branches: [snap.branch.name] }));
    assert.deepEqual(cleaned, { deleted: [{ what: "branch", name: snap.branch.name }], failed: [] });
    const drill = await call("drill.neon", {
      profile: "clinic",
      offset: "1 second",
      tables: ["Patient"],
      operationId: "drill-1",
    });
    assert.equal(drill.ok, true, JSON.stringify(drill));
  });

  test("dashboard, alerts, journal, incidents and runbook steps", async (t) => {
    if (skip) return t.skip(skip);
    const summary = ok(await call("dashboard.summary", {}));
    const h = summary.profiles[0]!;
    assert.equal(h.database.reachable, true);
    assert.ok(h.database.latencyMs !== undefined);
    assert.equal(h.neon?.reachable, true, JSON.stringify(h.neon));
    assert.ok(h.lastBackup && h.sizes.length === 1);
    assert.equal(h.lastTest?.kind, "drill.neon");
    assert.deepEqual(
      h.alerts.map((a) => [a.rule, a.severity]),
      [["neon-window-short", "HIGH"]],
    );
    assert.deepEqual(
      ok(await call("alerts.list", {})).alerts.map((a) => a.id),
      h.alerts.map((a) => a.id),
    );
    const opened = ok(
      await call("incidents.open", {
        title: "Patients deleted by a bad script",
        severity: "SEV1",
        scenario: "data-corruption",
        profile: "clinic",
        runbook: "data-corruption",
      }),
    );
    ok(await call("runbooks.profileContext", { profile: "clinic" }));
    ok(
      await call("runbooks.record", {
        runbook: "data-corruption",
        step: "notify",
        title: "Notify the team",
        outcome: "ok",
        value: "Posted in #incidents",
      }),
    );
    ok(await call("incidents.note", { text: "Recovery point chosen", recoveryPoint: new Date().toISOString() }));
    ok(await call("incidents.detectedAt", { detectedAt: new Date(Date.now() - 60_000).toISOString() }));
    ok(await call("incidents.checklist", { item: "Verify data integrity" }));
    ok(await call("incidents.serviceRestored", {}));
    ok(await call("incidents.record", { text: "Smoke tests pass", step: "smoke" }));
    ok(await call("incidents.get", { id: opened.id }));
    // No drill nor deep verify ran in this incident: the computed verdict fails and says which, whatever the note.
    const verdict = ok(await call("drill.verdict", { profile: "clinic", note: "looked fine to me" }));
    assert.equal(verdict.verdict, "FAIL", verdict.reason);
    ok(await call("incidents.list", {}));
    ok(await call("incidents.close", { resolution: "Rows copied back from the recovery branch" }));
    const page = ok(await call("journal.query", { text: "backup", limit: 50 }));
    assert.ok(page.total > 0);
    ok(await call("journal.get", { seq: page.records[0]!.seq }));
    assert.equal(ok(await call("journal.show", { seq: page.records[0]!.seq })).hashOk, true);
    assert.equal(ok(await call("journal.verify", {})).ok, true);
    for (const format of ["md", "html", "json", "csv"] as const) ok(await call("journal.export", { format }));
    ok(await call("journal.export", { format: "html", incident: opened.id, destination: "file" }));
    const exported = ok(await call("journal.export", { format: "json", incident: opened.id, destination: "file" }));
    assert.equal(ok(await call("journal.verifyExport", { file: exported.file! })).ok, true);
    const scan = ok(await call("doctor.scan", { profile: "clinic" }));
    assert.deepEqual(scan.unchecked, [], "doctor reached the store, the server and the journal");
    const fixed = ok(await call("doctor.fix", { profile: "clinic", ids: ["temp-folder:/nonexistent"] }));
    assert.deepEqual(fixed.gone, ["temp-folder:/nonexistent"], "only what a fresh scan finds is ever touched");
  });

  test("schedule, check, metrics and the fleet view", async (t) => {
    if (skip) return t.skip(skip);
    const p = ok(await call("profiles.get", { name: "clinic" }));
    ok(
      await call("profiles.save", {
        profile: { ...p, name: "clinic-nightly", schedule: { backup: "daily at 02:00", retry: { attempts: 1 } } },
      }),
    );
    const plan = ok(await call("schedule.plan", { profiles: ["clinic-nightly"] }));
    assert.equal(plan.plans[0]!.due, true);
    const ran = ok(await call("schedule.run", { profiles: ["clinic-nightly"], runner: "console" }));
    assert.equal(ran.runs[0]!.status, "ok", JSON.stringify(ran.runs[0]!.error));
    const checked = ok(await call("monitoring.check", { profiles: ["clinic", "clinic-nightly"] }));
    assert.match(checked.line, /^LIFEBOAT (OK|WARNING|CRITICAL) - /);
    const neon = checked.profiles[0]!.neon!;
    assert.equal(neon.reachable, true, JSON.stringify(neon.error));
    assert.equal(neon.protected, false, "the sandbox's main is not protected");
    ok(await call("monitoring.metrics", { profiles: ["clinic-nightly"], neon: false }));
    const fleet = ok(await call("fleet.view", {}));
    assert.equal(fleet.profiles.find((f) => f.profile === "clinic-nightly")!.jobs.backup?.status, "ok");
    const units = join(dir, "units");
    const installed = ok(
      await call("schedule.install", {
        profiles: ["clinic-nightly"],
        platform: "systemd",
        unitDir: units,
        activate: false,
      }),
    );
    assert.equal(installed.units.length, 1);
    assert.equal(ok(await call("schedule.status", { platform: "systemd", unitDir: units })).installed.length, 2);
    assert.equal(
      ok(await call("schedule.remove", { platform: "systemd", unitDir: units, activate: false })).removed.length,
      2,
    );
    const exported = ok(
      await call("schedule.export", {
        kubernetes: true,
        outDir: join(dir, "k8s"),
        image: "lifeboat:test",
        pgMajors: [15],
      }),
    );
    for (const f of exported.files) seen.push({ channel: `schedule.export (${f})`, text: await readFile(f, "utf8") });
    ok(await call("profiles.remove", { name: "clinic-nightly" }));
  });

  test("practice: the demo end to end; a sandbox folder in use is refused, and stopping none is no error", async (t) => {
    if (skip) return t.skip(skip);
    const demo = ok(await call("demo.run", { scale: 1, operationId: "demo-1" }));
    assert.ok(demo.tables.length > 0 && demo.tables.every((x) => x.ok), JSON.stringify(demo.tables));
    assert.ok(demo.deep?.tables.every((x) => x.ok));
    const busy = await call("sandbox.start", { dir: join(dir, "sandbox"), serve: false });
    assert.equal(!busy.ok && busy.error.code, "USAGE");
    assert.match(!busy.ok ? busy.error.message : "", /in use by another Lifeboat process/);
    assert.deepEqual(ok(await call("sandbox.stop", { dir: join(dir, "sandbox") })), { stopped: false });
  });

  test("retention and protection on a store that cannot lock: a refused prune, unlocked backups, a failed drill", async (t) => {
    if (skip) return t.skip(skip);
    const prune = ok(await call("retention.prune", { profile: "clinic", operationId: "prune-1" }));
    assert.equal(prune.plan.refused?.code, "NO_POLICY");
    assert.equal(prune.applied, false);
    const locks = ok(await call("protection.locks", { profile: "clinic" }));
    assert.ok(locks.backups.length > 0 && locks.backups.every((b) => b.status === "unlocked"));
    const status = ok(await call("protection.status", { profile: "clinic" }));
    assert.equal(status.stores[0]!.name, "primary");
    assert.notEqual(status.stores[0]!.objectLock, "enabled");
    const hold = await call("protection.hold", { profile: "clinic", id: "latest", hold: true });
    assert.equal(hold.ok, false, "s3rver cannot hold a backup, and Lifeboat does not pretend it did");
    const drill = ok(await call("protection.drill", { profile: "clinic", operationId: "drill-1" }));
    assert.equal(drill.passed, false);
    assert.equal(drill.intact, true, drill.aftermath);
    assert.deepEqual(ok(await call("replicas.run", { profile: "clinic" })).replicas, [], "no replicas configured");
    assert.equal((await call("attachments.run", { profile: "clinic" })).ok, false, "no attachment sets: a usage error");
    assert.deepEqual(ok(await call("attachments.runs", { profile: "clinic" })).runs, []);
    assert.equal(
      (await call("attachments.restore", { profile: "clinic", set: "uploads", verifyOnly: true })).ok,
      false,
    );
    const keys = ok(await call("keys.check", { profile: "clinic" }));
    assert.equal(keys.ok, true);
    assert.ok(keys.backups.every((b) => b.opensWith?.startsWith("current")));
    const escrow = generateIdentity();
    secrets.push(escrow.identity);
    ok(await call("keys.escrow", { profile: "clinic", label: "printed", recipient: escrow.recipient }));
    const drillKeys = ok(
      await call("keys.drill", { profile: "clinic", identity: escrow.identity, operationId: "kd-1" }),
    );
    assert.equal(drillKeys.passed, false, "no backup was made since the escrow key was added");
    const rotated = ok(await call("keys.rotate", { profile: "clinic" }));
    assert.match(rotated.identityRef, /^keychain:lifeboat-age-identity-/);
    const where = ok(await call("replicas.where", { profile: "clinic" }));
    assert.deepEqual(
      where.stores.map((s) => s.name),
      ["primary"],
    );
    const report = ok(await call("compliance.report", { profiles: ["clinic"] }));
    assert.ok(report.items.some((i) => i.control === "daily-backups" && i.profile === "clinic"));
    const exported = ok(await call("compliance.export", { format: "json", destination: "text" }));
    await writeFile(join(dir, "compliance.json"), exported.text!);
    // The browser names no file to verify: its path is the server's own folder, as a picked file would be.
    assert.equal(ok(await call("compliance.verify", { file: join(dir, "compliance.json") })).ok, true);
    ok(await call("compliance.attest", { control: "164.308(a)(7)(ii)(E)", statement: "Patient tables are critical." }));
    const docs = ok(await call("runbooks.export", { destination: "text" }));
    assert.ok(docs.documents.length > 0 && docs.documents.every((d) => d.text?.includes(d.version)));
  });

  test("a revealed connection string's password is in no file the session wrote (journal, plans, exports, config)", async (t) => {
    if (skip) return t.skip(skip);
    assert.ok(revealed.length > 0);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !join(e.parentPath, e.name).startsWith(join(dir, "sandbox")))
      .map((e) => join(e.parentPath, e.name));
    assert.ok(files.some((f) => f.includes("journal")));
    for (const f of files) {
      const text = await readFile(f, "latin1");
      for (const p of revealed) assert.ok(!text.includes(p), `${f} holds a revealed password`);
    }
    const reveals = (await journal!.query({ kind: "neon.connection-string", outcome: "ok" })).records;
    assert.deepEqual(
      reveals.map((r) => r.details?.pooled),
      [false, true],
      "each reveal is journaled, without the string",
    );
  });

  test("no answer and no progress event carried any secret, and every channel was called", (t) => {
    if (skip) return t.skip(skip);
    assert.deepEqual(
      CHANNEL_NAMES.filter((c) => !called.has(c)),
      [],
    );
    assert.ok(seen.length > CHANNEL_NAMES.length);
    assert.equal(revealed.length, 2);
    for (const secret of [...secrets, ...revealed]) {
      const variants = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
      for (const s of seen)
        for (const v of variants)
          assert.ok(!s.text.includes(v), `${s.channel} leaked a secret (${secret.slice(0, 4)}…)`);
    }
  });
});

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiRouter, type ApiRouter } from "../../../src/main/api/router.ts";
import type { Handlers } from "../../../src/main/api/handler-types.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { rememberSecret } from "../../../src/main/secrets/redact.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";
import type { ProgressEvent } from "../../../src/shared/api/bridge.ts";

let dir: string;
let journal: OpenJournal;
const recipient = generateIdentity().recipient;
const folderProfile = (name: string) => ({
  name,
  database: {
    host: "127.0.0.1",
    port: 5432,
    database: "clinic",
    user: "app",
    password: "env:NOT_SET_PW",
    sslmode: "disable",
  },
  storage: { kind: "folder", path: join(dir, "store") },
  encryption: { recipients: [recipient] },
});

function router(overrides: Partial<Handlers> = {}): ApiRouter {
  return createApiRouter(
    { configPath: join(dir, "config.json"), journal, env: {}, shell: "browser", exportsDir: join(dir, "exports") },
    overrides,
  );
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-router-"));
  journal = await openJournal({ dir: join(dir, "journal") });
});
after(async () => {
  await journal.close();
  await rm(dir, { recursive: true, force: true });
});

describe("validation at the border", () => {
  test("an unknown channel is refused", async () => {
    const r = await router().invoke("fs.readFile", { path: "/etc/passwd" });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, "USAGE");
  });

  test("a payload failing its schema is refused with USAGE and the handler is never called", async () => {
    let calls = 0;
    const r0 = router({ "backups.verify": async () => (calls++, Promise.reject(new Error("must not run"))) });
    const bad: unknown[] = [
      { profile: "clinic", id: "" }, // an empty id (a missing one means the latest)
      { profile: "clinic", id: "latest", deep: "yes" }, // wrong type
      { profile: "clinic", id: "latest", extra: 1 }, // unknown key
      { profile: "../etc", id: "latest" }, // not a profile name
      { profile: "clinic", id: "latest; rm -rf /" }, // not an id
      "clinic",
      null,
      [],
    ];
    for (const payload of bad) {
      const r = await r0.invoke("backups.verify", payload);
      assert.equal(r.ok, false, JSON.stringify(payload));
      assert.equal(!r.ok && r.error.code, "USAGE");
      assert.match(!r.ok ? r.error.message : "", /^Invalid request for backups\.verify/);
    }
    assert.equal(calls, 0);
  });

  test("a literal secret in a saved profile is refused, and the value is not echoed", async () => {
    const p = {
      ...folderProfile("leaky"),
      database: { ...folderProfile("leaky").database, password: "hunter2-literal" },
    };
    const r = await router().invoke("profiles.save", { profile: p });
    assert.equal(r.ok, false);
    const text = JSON.stringify(r);
    assert.match(text, /literal value/);
    assert.doesNotMatch(text, /hunter2-literal/);
  });
});

describe("results and errors", () => {
  test("a LifeboatError keeps its code, message and hint; nothing else crosses", async () => {
    const r = await router({
      "backups.list": async () =>
        Promise.reject(new LifeboatError("STORAGE_AUTH", "The bucket refused the key.", "Check the access key.")),
    }).invoke("backups.list", { profile: "clinic" });
    assert.deepEqual(r, {
      ok: false,
      error: { code: "STORAGE_AUTH", message: "The bucket refused the key.", hint: "Check the access key." },
    });
  });

  test("an unexpected error becomes INTERNAL with one line and no stack", async () => {
    const r = await router({
      "backups.list": async () => Promise.reject(new TypeError("x is undefined\n    at foo (/src/main/x.ts:1:1)")),
    }).invoke("backups.list", { profile: "clinic" });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, "INTERNAL");
    assert.equal(r.error.message, "Unexpected error: x is undefined");
    assert.doesNotMatch(JSON.stringify(r), /\bat foo|\.ts:\d/);
  });

  test("a handler answer outside the result schema is not passed on", async () => {
    const r = await router({ "app.info": async () => ({ version: 1 }) as never }).invoke("app.info", {});
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, "INTERNAL");
  });

  test("unknown result fields are stripped, and remembered secrets are redacted from results", async () => {
    rememberSecret("s3cret-value-123");
    const r = await router({
      "profiles.test": async () =>
        ({
          profile: "p",
          ok: false,
          checks: [{ name: "db", ok: false, detail: "auth failed for s3cret-value-123" }],
          internalHandle: { password: "x" },
        }) as never,
    }).invoke("profiles.test", { name: "p" });
    assert.equal(r.ok, true);
    assert.deepEqual(r.ok && r.value, {
      profile: "p",
      ok: false,
      checks: [{ name: "db", ok: false, detail: "auth failed for [REDACTED]" }],
    });
  });
});

describe("progress and cancel", () => {
  test("progress events carry the caller's operationId and channel, redacted", async () => {
    rememberSecret("progress-secret-xyz");
    const events: ProgressEvent[] = [];
    const r0 = router({
      "backups.run": async (_req, ctx) => {
        ctx
          .engine()
          .onProgress?.({ operation: "backup", phase: "dump", bytes: 10, currentTable: "progress-secret-xyz" });
        return Promise.reject(new LifeboatError("BACKUP_FAILED", "stopped"));
      },
    });
    await r0.invoke("backups.run", { profile: "clinic", operationId: "op-1" }, { onProgress: (e) => events.push(e) });
    assert.deepEqual(events, [
      {
        operationId: "op-1",
        channel: "backups.run",
        progress: { operation: "backup", phase: "dump", bytes: 10, currentTable: "[REDACTED]" },
      },
    ]);
  });

  test("operations.cancel aborts the running operation's signal; unknown ids say false", async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const r0 = router({
      "backups.run": async (_req, ctx) => {
        const { signal } = ctx.engine();
        started();
        await new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason)));
        throw new Error("unreachable");
      },
    });
    const call = r0.invoke("backups.run", { profile: "clinic", operationId: "op-cancel" });
    await running;
    assert.deepEqual(r0.running(), ["op-cancel"]);
    const dup = await r0.invoke("backups.run", { profile: "clinic", operationId: "op-cancel" });
    assert.equal(!dup.ok && dup.error.code, "USAGE", "an operationId in use is refused");
    assert.deepEqual(await r0.invoke("operations.cancel", { operationId: "op-cancel" }), {
      ok: true,
      value: { cancelled: true },
    });
    const r = await call;
    assert.equal(!r.ok && r.error.code, "CANCELLED");
    assert.equal(!r.ok && r.error.message, "cancelled by the operator, from the console");
    assert.deepEqual(await r0.invoke("operations.cancel", { operationId: "op-cancel" }), {
      ok: true,
      value: { cancelled: false },
    });
  });
});

describe("what a face hands a call", () => {
  test("the caller's AbortSignal (the CLI's Ctrl-C) aborts the operation it started", async () => {
    const caller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const r0 = router({
      "backups.verify": async (_req, ctx) => {
        const { signal } = ctx.engine();
        started();
        await new Promise((_, reject) => signal!.addEventListener("abort", () => reject(signal!.reason)));
        throw new Error("unreachable");
      },
    });
    const call = r0.invoke("backups.verify", { profile: "clinic" }, { signal: caller.signal });
    await running;
    caller.abort(new LifeboatError("USAGE", "Interrupted at the terminal."));
    const r = await call;
    assert.equal(!r.ok && r.error.message, "Interrupted at the terminal.");
    assert.deepEqual(r0.running(), []);
  });

  test("a secret request field is scrubbed from whatever the call returns, even an error that quotes it", async () => {
    const value = "typed-into-the-console-7f3e";
    const r0 = router({
      "secrets.set": async (req) => {
        throw new Error(`the keychain refused ${req.value}`);
      },
    });
    const r = await r0.invoke("secrets.set", { name: "db-password", value });
    assert.equal(r.ok, false);
    assert.doesNotMatch(JSON.stringify(r), new RegExp(value));
    assert.match(!r.ok ? r.error.message : "", /\[REDACTED\]/);
    const refused = await r0.invoke("secrets.set", { name: "not a name", value: "never-echoed-secret-91" });
    assert.equal(!refused.ok && refused.error.code, "USAGE");
    assert.doesNotMatch(JSON.stringify(refused), /never-echoed-secret-91/, "a refused request never echoes a value");
  });

  test("a secret only a terminal may see is refused to a caller that cannot receive it, before anything runs", async () => {
    // No profile exists here: had the handler gone on, the error would be PROFILE_NOT_FOUND, not this refusal.
    const r = await router().invoke("neon.recoverTo", { point: { at: "1 hour ago" }, showUri: true });
    assert.equal(!r.ok && r.error.code, "USAGE");
    assert.match(!r.ok ? r.error.message : "", /only to a terminal/);
  });
});

describe("profiles, incidents, runbooks and exports through the real handlers", () => {
  test("profiles: save (defaults applied), list, get, remove; each journaled", async () => {
    const r0 = router();
    const saved = await r0.invoke("profiles.save", {
      profile: {
        ...folderProfile("clinic"),
        contacts: [{ role: "DBA", name: "Ana", contact: "ana@example.org" }],
        escalation: ["Page the DBA"],
      },
    });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.equal(saved.ok && saved.value.alerts.maxBackupAgeMinutes, 1440);
    const list = await r0.invoke("profiles.list", {});
    assert.deepEqual(list.ok && list.value.profiles.map((p) => p.name), ["clinic"]);
    const ctx = await r0.invoke("runbooks.profileContext", { profile: "clinic" });
    assert.deepEqual(ctx.ok && ctx.value, {
      profile: "clinic",
      contacts: [{ role: "DBA", name: "Ana", contact: "ana@example.org" }],
      escalation: ["Page the DBA"],
      targets: { rtoMinutes: 30, rpoMinutes: 1 },
    });
    const missing = await r0.invoke("profiles.get", { name: "nope" });
    assert.equal(!missing.ok && missing.error.code, "PROFILE_NOT_FOUND");
    await r0.invoke("profiles.save", { profile: folderProfile("other") });
    assert.deepEqual(await r0.invoke("profiles.remove", { name: "other" }), { ok: true, value: { removed: true } });
    const q = await r0.invoke("journal.query", { kind: "profile." });
    assert.deepEqual(q.ok && q.value.records.map((r) => r.kind), ["profile.save", "profile.save", "profile.remove"]);
  });

  test("a runbook run: open (targets and contacts from the profile), record steps, note, restore, close, report, export", async () => {
    const r0 = router();
    const opened = await r0.invoke("incidents.open", {
      title: "Bulk delete of patients",
      severity: "SEV1",
      scenario: "data-corruption",
      profile: "clinic",
      runbook: "data-corruption",
    });
    assert.equal(opened.ok, true, JSON.stringify(opened));
    if (!opened.ok) return;
    const id = opened.value.id;
    assert.deepEqual(opened.value.record.details.contacts, [{ role: "DBA", name: "Ana", contact: "ana@example.org" }]);
    const again = await r0.invoke("incidents.open", { title: "x", severity: "SEV2", scenario: "other" });
    assert.equal(!again.ok && again.error.code, "INCIDENT_ALREADY_OPEN");
    const step = await r0.invoke("runbooks.record", {
      runbook: "data-corruption",
      step: "assess",
      title: "Assess the damage",
      outcome: "ok",
      value: "412 patients deleted",
    });
    assert.equal(step.ok && step.value.incident, id);
    await r0.invoke("incidents.note", { text: "Corruption began 14:30", corruptionTime: "2026-01-17T14:30:00Z" });
    await r0.invoke("incidents.checklist", { item: "1" });
    await r0.invoke("incidents.serviceRestored", {});
    const closed = await r0.invoke("incidents.close", {
      resolution: "Rows copied back",
      followUps: ["Add a delete guard"],
    });
    assert.equal(closed.ok, true);
    const list = await r0.invoke("incidents.list", {});
    assert.deepEqual(list.ok && list.value.incidents.map((i) => i.id), [id]);
    const report = await r0.invoke("incidents.get", { id });
    assert.equal(report.ok, true, JSON.stringify(report));
    if (!report.ok) return;
    assert.equal(report.value.status, "closed");
    assert.equal(report.value.checklist[0]?.done, true);
    assert.equal(report.value.followUps[0]?.text, "Add a delete guard");
    assert.ok(report.value.rto.achievedMs !== undefined);

    const md = await r0.invoke("journal.export", { format: "md", incident: id });
    assert.equal(md.ok, true, JSON.stringify(md));
    assert.match(md.ok ? md.value.text! : "", /Bulk delete of patients/);
    const file = await r0.invoke("journal.export", { format: "html", incident: id, destination: "file" });
    assert.equal(file.ok, true, JSON.stringify(file));
    if (!file.ok) return;
    assert.ok(
      file.value.file!.startsWith(join(dir, "exports")),
      "files go into the exports folder, never a renderer-chosen path",
    );
    assert.match(await readFile(file.value.file!, "utf8"), /<html/i);
    const refused = await r0.invoke("journal.export", { format: "md", destination: "file", file: "/etc/cron.d/x" });
    assert.equal(!refused.ok && refused.error.code, "USAGE");

    const v = await r0.invoke("journal.verify", {});
    assert.equal(v.ok && v.value.ok, true);
  });

  test("journal.get and app.info", async () => {
    const r0 = router();
    const g = await r0.invoke("journal.get", { seq: 1 });
    assert.equal(g.ok && g.value?.seq, 1);
    assert.deepEqual(await r0.invoke("journal.get", { seq: 999999 }), { ok: true, value: null });
    const info = await r0.invoke("app.info", {});
    assert.equal(info.ok && info.value.shell, "browser");
    assert.equal(info.ok && info.value.journalDir, join(dir, "journal"));
  });

  test("Neon channels on a profile without a neon section fail with the engine's explanation, not a crash", async () => {
    const r = await router().invoke("neon.status", { profile: "clinic" });
    assert.equal(r.ok, false);
    assert.notEqual(!r.ok && r.error.code, "INTERNAL");
    assert.match(!r.ok ? r.error.message : "", /neon/i);
  });
});

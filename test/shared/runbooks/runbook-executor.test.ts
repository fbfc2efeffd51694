import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RunbookExecutor } from "../../../src/shared/runbooks/runbook-executor.ts";
import { scenario1DataCorruption } from "../../../src/shared/runbooks/scenario-1-data-corruption.ts";
import { scenario2DatabaseLoss } from "../../../src/shared/runbooks/scenario-2-database-loss.ts";
import { fakeApi, SAMPLE_RESULTS } from "./fake-api.ts";

const profile = {
  name: "sandbox",
  database: { host: "127.0.0.1", port: 5432, database: "neondb", user: "neondb_owner" },
};
const clock = () => new Date("2026-01-17T14:40:00Z");
const POINTS = { at: "2026-01-17T14:34:59Z", damagedAt: "2026-01-17T14:35:02Z", tables: "ClinicalNote, Patient" };

async function started(def = scenario1DataCorruption, override = {}) {
  const api = fakeApi(override);
  const ex = new RunbookExecutor(def, { invoke: api.invoke, profile, now: clock });
  assert.equal(await ex.start({ title: "Notes missing", severity: "SEV1" }), true);
  return { ex, api };
}

describe("runbook executor", () => {
  test("starting opens an incident carrying the runbook's scenario and the profile", async () => {
    const { ex, api } = await started();
    assert.equal(api.calls[0]!.channel, "incidents.open");
    assert.deepEqual(api.calls[0]!.payload, {
      title: "Notes missing",
      severity: "SEV1",
      scenario: "data-corruption",
      profile: "sandbox",
      runbook: "scenario-1-data-corruption",
    });
    assert.equal(ex.getState().incidentId, "inc-20260117-1440-abcd");
    assert.equal(ex.getState().openedAt, "2026-01-17T14:40:00.000Z");
    assert.equal(ex.current()?.id, "audit");
  });

  test("a refused incident open leaves the run unstarted with the engine's error", async () => {
    const api = fakeApi({
      "incidents.open": () => ({
        ok: false,
        error: { code: "INCIDENT_ALREADY_OPEN", message: "Incident inc-x is still open." },
      }),
    });
    const ex = new RunbookExecutor(scenario1DataCorruption, { invoke: api.invoke, profile, now: clock });
    assert.equal(await ex.start({ title: "t", severity: "SEV1" }), false);
    assert.equal(ex.getState().phase, "not-started");
    assert.equal(ex.getState().error?.code, "INCIDENT_ALREADY_OPEN");
    await assert.rejects(ex.runAction("audit"), /start the runbook first/);
  });

  test("attaching to an open incident journals the start and opens nothing", async () => {
    const api = fakeApi();
    const ex = new RunbookExecutor(scenario1DataCorruption, { invoke: api.invoke, profile, now: clock });
    await ex.start({ title: "t", severity: "SEV1", attachTo: { id: "inc-open", openedAt: "2026-01-17T14:00:00Z" } });
    assert.deepEqual(
      api.calls.map((c) => c.channel),
      ["runbooks.record"],
    );
    assert.equal(api.calls[0]!.payload.incident, "inc-open");
  });

  test("an action's result feeds the next step's defaults and payloads; each step is journaled", async () => {
    const { ex, api } = await started();
    const audit = await ex.runAction("audit");
    assert.equal(audit.status, "done");
    assert.equal(audit.journaled, true);
    assert.deepEqual(api.calls.at(-1)!.payload, {
      runbook: "scenario-1-data-corruption",
      step: "audit",
      title: "Identify the corruption time",
      outcome: "ok",
      value: "forensics.audit",
      incident: "inc-20260117-1440-abcd",
      profile: "sandbox",
    });
    await ex.submit("recovery-point", POINTS);
    const note = api.calls.at(-1)!;
    assert.equal(note.channel, "incidents.note");
    assert.deepEqual(note.payload, {
      kind: "decision",
      text: "Recovery point 2026-01-17T14:34:59Z, damaged state 2026-01-17T14:35:02Z, tables ClinicalNote, Patient",
      recoveryPoint: "2026-01-17T14:34:59Z",
      corruptionTime: "2026-01-17T14:35:00Z",
      incident: "inc-20260117-1440-abcd",
    });
    await ex.runAction("recovery-branch");
    const recover = api.calls.find((c) => c.channel === "neon.recoverTo")!;
    assert.deepEqual(recover.payload.point, { at: "2026-01-17T14:34:59Z" });
    assert.equal(
      recover.payload.branchName,
      undefined,
      "the engine names it recovery-<request time>, unique per second",
    );
    assert.match(String(recover.payload.operationId), /^recovery-branch-/);
    await ex.runAction("damaged-branch");
    const damaged = api.calls.filter((c) => c.channel === "neon.recoverTo")[1]!;
    assert.deepEqual(damaged.payload.point, { at: "2026-01-17T14:35:02Z" });
    await ex.runAction("plan");
    const plan = api.calls.find((c) => c.channel === "forensics.plan")!;
    assert.deepEqual(plan.payload.before, { kind: "neon-branch", branch: "br-recovery-1" });
    assert.deepEqual(plan.payload.tables, ["ClinicalNote", "Patient"], "the typed list becomes the payload's list");
    assert.deepEqual(plan.payload.points, { before: "2026-01-17T14:34:59Z", damaged: "2026-01-17T14:35:02Z" });
  });

  test("a destructive step does not call the engine until the exact production name is typed", async () => {
    const { ex, api } = await started();
    for (const id of ["audit", "recovery-branch", "damaged-branch", "plan", "dry-run"]) {
      if (id === "recovery-branch") await ex.submit("recovery-point", POINTS);
      await ex.runAction(id);
    }
    const before = api.calls.length;
    const refused = await ex.runAction("apply", "neondb-typo");
    assert.equal(refused.status, "failed");
    assert.equal(refused.error?.code, "CONFIRMATION_REQUIRED");
    assert.equal(api.calls.length, before, "nothing was sent");
    const done = await ex.runAction("apply", "neondb");
    assert.equal(done.status, "done");
    const apply = api.calls.filter((c) => c.channel === "forensics.apply").at(-1)!;
    assert.equal(apply.payload.dryRun, false);
    assert.equal(apply.payload.confirm, "neondb");
    assert.equal(apply.payload.planId, "plan-20260117-143800-abcdef");
  });

  test("an unmet expectation fails the step, and a failed step can be retried or skipped with a reason", async () => {
    let green = false;
    const { ex, api } = await started(scenario1DataCorruption, {
      "forensics.verify": () => ({
        ok: true,
        value: { planId: "p", verifyPlanId: "q", tables: [], undecided: green ? 0 : 2, decided: 0, green },
      }),
    });
    await ex.runAction("audit");
    await ex.submit("recovery-point", POINTS);
    for (const id of ["recovery-branch", "damaged-branch", "plan", "dry-run"]) await ex.runAction(id);
    await ex.runAction("apply", "neondb");
    const failed = await ex.runAction("verify");
    assert.equal(failed.status, "failed");
    assert.match(failed.failures![0]!, /Damaged rows remain unrepaired without a decision/);
    assert.equal(api.calls.at(-1)!.payload.outcome, "failed");
    assert.equal(ex.current()?.id, "verify", "a failed step blocks the run");
    await assert.rejects(ex.submit("smoke-test", { confirmed: true }), /not the current step/);
    green = true;
    assert.equal((await ex.runAction("verify")).status, "done");
    assert.equal(ex.current()?.id, "smoke-test");
    const refusedSkip = ex.skip("smoke-test", "no users awake");
    await assert.rejects(refusedSkip, /required/);
  });

  test("a red verify (or a refused repair) offers Re-plan: the plan step and every later one start over, the new plan id flows on", async () => {
    let plans = 0;
    const { ex, api } = await started(scenario1DataCorruption, {
      "forensics.plan": () => {
        const r = structuredClone(SAMPLE_RESULTS["forensics.plan"]) as { plan: { planId: string } };
        r.plan.planId = `plan-20260117-14380${plans++}-abcdef`;
        return { ok: true, value: r };
      },
      "forensics.verify": () => ({
        ok: true,
        value: { planId: "p", verifyPlanId: "q", tables: [], undecided: 1, decided: 0, green: false },
      }),
    });
    await ex.runAction("audit");
    await ex.submit("recovery-point", POINTS);
    await assert.rejects(ex.redo("plan"), /does not offer/);
    for (const id of ["recovery-branch", "damaged-branch", "plan", "dry-run"]) await ex.runAction(id);
    await ex.runAction("apply", "neondb");
    assert.equal((await ex.runAction("verify")).status, "failed");
    const calls = api.calls.length;
    const again = await ex.redo("plan");
    assert.equal(again.status, "done");
    const s = ex.getState().steps;
    assert.deepEqual(
      ["recovery-branch", "plan", "dry-run", "apply", "verify"].map((id) => s[id]!.status),
      ["done", "done", "pending", "pending", "pending"],
    );
    assert.equal(ex.current()?.id, "dry-run");
    const made = api.calls.slice(calls);
    assert.ok(made.some((c) => c.channel === "runbooks.record" && /Re-plan/.test(String(c.payload.value))));
    assert.equal(made.filter((c) => c.channel === "forensics.plan").length, 1);
    await ex.runAction("dry-run");
    assert.equal(
      api.calls.findLast((c) => c.channel === "forensics.apply")!.payload.planId,
      "plan-20260117-143801-abcdef",
    );
  });

  test("required record fields and timestamps are checked before anything is journaled", async () => {
    const { ex, api } = await started();
    await ex.runAction("audit");
    const n = api.calls.length;
    assert.match((await ex.submit("recovery-point", { ...POINTS, at: "" })).error!.message, /Recovery point/);
    assert.match((await ex.submit("recovery-point", { ...POINTS, at: "yesterday-ish" })).error!.message, /not a time/);
    assert.equal(api.calls.length, n);
  });

  test("conditions pick the branch of a runbook: Scenario 2 restores from the backup when that route is chosen", async () => {
    const { ex, api } = await started(scenario2DatabaseLoss);
    const check = await ex.runAction("check-database");
    assert.equal(check.status, "done");
    await ex.submit("confirm-outage", { status: "Major outage in us-east", outage: true });
    await ex.submit("contact-neon", { contactedAt: "2026-01-17T14:41:00Z", ticket: "#123" });
    await ex.submit("decide-route", { route: "backup" });
    assert.equal(ex.current()?.id, "backup-restore", "the Neon route is not applicable");
    await ex.runAction("backup-restore");
    const restore = api.calls.find((c) => c.channel === "restore.run")!;
    assert.deepEqual(
      { ...restore.payload, operationId: undefined },
      { profile: "sandbox", id: "latest", database: "restored_20260117_144000", operationId: undefined },
    );
    assert.equal(
      api.calls.some((c) => c.channel === "neon.recoverTo"),
      false,
    );
  });

  test("a failed call marked as a finding completes the step and journals the finding", async () => {
    const { ex, api } = await started(scenario2DatabaseLoss, {
      "dashboard.summary": () => ({ ok: false, error: { code: "INTERNAL", message: "host not answering" } }),
    });
    const s = await ex.runAction("check-database");
    assert.equal(s.status, "done");
    assert.equal(s.error?.message, "host not answering");
    assert.equal(api.calls.at(-1)!.payload.outcome, "info");
  });

  test("checklist ticks are journaled one by one and closing names the incident", async () => {
    const { ex, api } = await started();
    const steps = scenario1DataCorruption.steps;
    for (const s of steps) {
      if (s.kind === "action") await ex.runAction(s.id, s.destructive ? "neondb" : undefined);
      else if (s.kind === "record") await ex.submit(s.id, s.id === "recovery-point" ? POINTS : { confirmed: true });
      else for (const item of s.items) await ex.tick(s.id, item.id);
    }
    assert.equal(ex.current(), undefined);
    const ticks = api.calls.filter((c) => c.channel === "incidents.checklist");
    assert.equal(ticks.length, 8);
    assert.equal(ticks[0]!.payload.item, "verify-integrity", "ticked by the item's id, not its text");
    assert.equal(await ex.close("Restored 42 notes"), true);
    assert.deepEqual(api.calls.at(-1), {
      channel: "incidents.close",
      payload: { incident: "inc-20260117-1440-abcd", resolution: "Restored 42 notes" },
    });
    assert.equal(ex.getState().phase, "closed");
  });

  test("subscribers hear every state change, and the state object changes identity each time", async () => {
    const api = fakeApi();
    const ex = new RunbookExecutor(scenario1DataCorruption, { invoke: api.invoke, profile, now: clock });
    const seen: string[] = [];
    const first = ex.getState();
    const off = ex.subscribe(() => seen.push(ex.getState().phase));
    await ex.start({ title: "t", severity: "SEV2" });
    off();
    await ex.runAction("audit");
    assert.deepEqual(seen, ["starting", "in-progress"]);
    assert.notEqual(ex.getState(), first);
  });
});

// The scheduled decrypt drill, run by the due-job runner like any other job: the escrow identity, read through a
// reference only that job resolves, opens the backups; a reference to a key that is not the escrow key fails the run.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { runDue } from "../../../src/main/schedule/run-due.ts";
import { startScheduleEnv, type ScheduleEnv } from "../../harness/schedule-env.ts";

let w: ScheduleEnv;
before(async () => {
  w = await startScheduleEnv("2026-03-10T02:05:00Z");
});
after(async () => w?.stop());

describe("the scheduled decrypt drill", () => {
  test("a profile scheduling it without an escrow key that names its identity is refused", () => {
    assert.throws(
      () => w.profile("no-escrow", { schedule: { "decrypt-drill": "monthly on day 1 at 04:00" } }),
      /the scheduled decrypt drill needs an escrow key with a drillIdentity reference/,
    );
  });

  test("runs after the backup, opens it with the escrow identity alone; a wrong identity fails the run", async () => {
    const escrow = generateIdentity();
    w.env.SCHED_ESCROW_IDENTITY = escrow.identity;
    const base = w.profile("escrowed");
    const p = w.profile("escrowed", {
      encryption: {
        ...base.encryption,
        escrow: [{ recipient: escrow.recipient, label: "token", drillIdentity: "env:SCHED_ESCROW_IDENTITY" }],
      },
      schedule: { timezone: "UTC", backup: "daily at 02:00", "decrypt-drill": "daily at 02:00" },
    });
    w.clock.set("2026-03-10T02:05:00Z");
    const ok = await runDue([p], w.deps());
    assert.deepEqual(
      ok.runs.map((r) => [r.job, r.status]),
      [
        ["backup", "ok"],
        ["decrypt-drill", "ok"],
      ],
      JSON.stringify(ok.runs.map((r) => r.error)),
    );
    assert.equal(ok.runs[1]!.result!.pass, true);
    assert.equal(ok.runs[1]!.result!.backupId, ok.runs[0]!.result!.backupId);

    w.env.SCHED_ESCROW_IDENTITY = generateIdentity().identity;
    w.clock.set("2026-03-11T02:05:00Z");
    const bad = await runDue([p], w.deps({ http: { timeoutMs: 500, tries: 1 } }));
    const drill = bad.runs.find((r) => r.job === "decrypt-drill")!;
    assert.equal(drill.status, "failed");
    assert.match(drill.error!.message, /not an escrow key of profile "escrowed"/);
    assert.notEqual(bad.exitCode, 0);
  });
});

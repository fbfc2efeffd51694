import assert from "node:assert/strict";
import { test } from "node:test";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { planJob } from "../../../src/main/schedule/job-plan.ts";
import { RUN_FORMAT, type RunOutcome } from "../../../src/shared/schedule/run-outcome.ts";

const profile = validateProfile({
  name: "clinic",
  database: { host: "db.example", database: "app", user: "u", password: "env:P" },
  storage: { kind: "folder", path: "/mnt/usb" },
  encryption: { recipients: ["age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"] },
  schedule: { timezone: "UTC", backup: "every 6 hours" },
});

const run = (over: Partial<RunOutcome>): RunOutcome => ({
  format: RUN_FORMAT,
  runId: "r1",
  profile: "clinic",
  job: "backup",
  machine: { host: "laptop", user: "dba", runner: "systemd", pid: 1 },
  scheduledFor: "2026-03-10T00:00:00.000Z",
  missed: 0,
  trigger: "schedule",
  startedAt: "2026-03-10T00:00:05.000Z",
  status: "ok",
  leaseUntil: "2026-03-10T14:00:00.000Z",
  attempts: [],
  ...over,
});

test("a job still running past its next start is not started again (overrun)", () => {
  const p = planJob(profile, "backup", run({ status: "running" }), new Date("2026-03-10T06:30:00Z"));
  assert.equal(p.due, false);
  assert.match(p.reason, /still going on laptop past its next start \(overrun\)/);
});

test("a run that never finished and whose lease is over was interrupted: the job is due again", () => {
  const p = planJob(profile, "backup", run({ status: "running" }), new Date("2026-03-10T15:00:00Z"), {
    leaseExpired: true,
  });
  assert.equal(p.due, true);
  assert.match(p.reason, /never finished \(interrupted\)/);
  assert.equal(p.missed, 1, "00:00 was not handled; 06:00 is folded into the run for 12:00");
});

test("a failed run handles its occurrence: the next chance is the next occurrence", () => {
  const failed = run({ status: "failed", scheduledFor: "2026-03-10T06:00:00.000Z" });
  assert.equal(planJob(profile, "backup", failed, new Date("2026-03-10T07:00:00Z")).due, false);
  assert.equal(planJob(profile, "backup", failed, new Date("2026-03-10T12:00:00Z")).due, true);
});

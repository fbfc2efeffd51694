// `lifeboat check` on Neon: production should be a protected branch and have a snapshot schedule (Neon's own first
// line of defence), and the history window must be as long as the profile requires. Judged from the facts alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { judge, type RawFacts } from "../../../src/main/monitoring/check-rules.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";

const profile = validateProfile({
  name: "clinic",
  database: { host: "db.example", database: "clinic", user: "u" },
  storage: { kind: "folder", path: "/tmp/x" },
  encryption: { recipients: ["age1ww6lssmnrfq9szsshmmlqud0xvm96h06nrgv7mqlzwm3t43knqwst5ym47"] },
});
const now = new Date("2026-03-10T03:00:00Z");

function neon(n: RawFacts["neon"]) {
  const r = judge(profile, { tests: [], neon: n }, now);
  const finding = (item: string) => r.findings.find((f) => f.item === item);
  return { r, finding, rules: r.alerts.map((a) => `${a.rule}:${a.severity}`) };
}

test("production not protected and no snapshot schedule: two warnings, each an alert with its way out", () => {
  const { finding, rules, r } = neon({ reachable: true, branch: "main", protected: false, snapshotSchedule: [] });
  assert.equal(finding("neon protected branch")?.state, "WARNING");
  assert.match(finding("neon protected branch")!.detail, /main is not a protected branch/);
  assert.equal(finding("neon snapshot schedule")?.state, "WARNING");
  assert.ok(rules.includes("neon-unprotected:MEDIUM"), rules.join());
  assert.ok(rules.includes("neon-no-snapshots:LOW"), rules.join());
  assert.match(r.alerts.find((a) => a.rule === "neon-unprotected")!.hint ?? "", /Protect it in the Neon console/);
});

test("protected, with a schedule: both OK and no Neon alert", () => {
  const { finding, rules } = neon({
    reachable: true,
    branch: "main",
    protected: true,
    snapshotSchedule: ["daily 02:00"],
  });
  assert.equal(finding("neon protected branch")?.state, "OK");
  assert.equal(finding("neon snapshot schedule")?.detail, "daily 02:00");
  assert.deepEqual(
    rules.filter((x) => x.startsWith("neon")),
    [],
  );
});

test("a Neon API that does not report the schedule is said so, not counted as missing", () => {
  const { finding, rules } = neon({ reachable: true, branch: "main", protected: true, snapshotSchedule: null });
  assert.equal(finding("neon snapshot schedule")?.state, "OK");
  assert.equal(finding("neon snapshot schedule")?.detail, "not reported by this Neon API");
  assert.ok(!rules.some((x) => x.startsWith("neon-no-snapshots")));
});

test("a window shorter than required is HIGH; Neon not answering is a warning, not a verdict on the branch", () => {
  const short = neon({
    reachable: true,
    branch: "main",
    protected: true,
    snapshotSchedule: null,
    retentionSeconds: 86_400,
    requiredSeconds: 7 * 86_400,
  });
  assert.ok(short.rules.includes("neon-window-short:HIGH"), short.rules.join());
  const down = neon({ reachable: false, error: { code: "NEON_UNREACHABLE", message: "ECONNRESET" } as never });
  assert.equal(down.finding("neon")?.state, "WARNING");
  assert.equal(down.finding("neon protected branch"), undefined);
});

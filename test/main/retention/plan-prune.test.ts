// Prune planning over generated histories of several years, with an injected clock. The expected survivors are
// computed here independently (plain Date arithmetic, brute force), not with the planner's own period helpers.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { planPrune, type BackupFact, type PlanInput } from "../../../src/main/retention/plan-prune.ts";
import { RETENTION_PRESETS, type RetentionPolicy } from "../../../src/shared/retention-policy.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;

function idAt(t: number, n = 0): string {
  const stamp = new Date(t)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${n.toString(16).padStart(4, "0")}`;
}

/** One backup a day at 02:00 UTC from `from` to `to` (inclusive), every one verified unless told. */
function dailyHistory(from: string, to: string, opts: { verified?: (t: number) => boolean } = {}): BackupFact[] {
  const out: BackupFact[] = [];
  for (let t = Date.parse(`${from}T02:00:00Z`); t <= Date.parse(`${to}T02:00:00Z`); t += DAY) {
    out.push({
      id: idAt(t),
      time: t,
      manifestSha256: "a".repeat(64),
      bytes: 1000,
      verified: opts.verified ? opts.verified(t) : true,
      provable: true,
    });
  }
  return out;
}

function input(
  backups: BackupFact[],
  now: number,
  policy: RetentionPolicy | undefined,
  extra: Partial<PlanInput> = {},
) {
  return { backups, incomplete: [], uploads: [], policy, now, maxBackupAgeMinutes: 1440, ...extra };
}

/** The first backup in [start, end), if any. */
function firstIn(backups: BackupFact[], start: number, end: number): string | undefined {
  return backups.filter((b) => b.time >= start && b.time < end).sort((a, b) => a.time - b.time)[0]?.id;
}

/** Reference GFS with count rules: the first backup of each of the N most recent calendar periods (UTC). */
function expectedGfs(
  backups: BackupFact[],
  now: number,
  p: { keepLast: number; daily: number; weekly: number; monthly: number; yearly: number },
) {
  const keep = new Set<string>();
  const newest = [...backups].sort((a, b) => b.time - a.time);
  newest.slice(0, p.keepLast).forEach((b) => keep.add(b.id));
  const d = new Date(now);
  const add = (id: string | undefined) => id && keep.add(id);
  for (let i = 0; i < p.daily; i++) {
    const s = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - i);
    add(firstIn(backups, s, s + DAY));
  }
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY;
  for (let i = 0; i < p.weekly; i++) add(firstIn(backups, monday - i * 7 * DAY, monday - (i - 1) * 7 * DAY));
  for (let i = 0; i < p.monthly; i++) {
    add(
      firstIn(
        backups,
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1),
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i + 1, 1),
      ),
    );
  }
  for (let i = 0; i < p.yearly; i++) {
    add(firstIn(backups, Date.UTC(d.getUTCFullYear() - i, 0, 1), Date.UTC(d.getUTCFullYear() - i + 1, 0, 1)));
  }
  return keep;
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();

describe("prune planning (GFS over generated history)", () => {
  test("four years of dailies under 7/4/12/3: exactly the GFS set survives, everything else is removed", () => {
    const history = dailyHistory("2022-03-14", "2026-03-10");
    for (const nowText of ["2026-03-10T09:00:00Z", "2026-03-11T01:59:00Z"]) {
      const now = Date.parse(nowText);
      const plan = planPrune(input(history, now, RETENTION_PRESETS.gfs));
      const expected = expectedGfs(history, now, RETENTION_PRESETS.gfs);
      assert.equal(plan.refused, null);
      assert.deepEqual(ids(plan.keep), [...expected].sort());
      assert.equal(plan.keep.length + plan.remove.length, history.length);
      // 7 dailies + up to 4 weekly + 12 monthly + 3 yearly firsts, overlapping: far fewer than 1,458.
      assert.ok(plan.keep.length >= 20 && plan.keep.length <= 26, `${plan.keep.length} kept`);
      for (const r of plan.remove) assert.match(r.why, /generation ended|not the first backup/);
    }
  });

  test("a later clock only ever removes more: what a later prune keeps was kept by every earlier one", () => {
    const history = dailyHistory("2023-01-01", "2025-06-30");
    let previous: Set<string> | undefined;
    for (let now = Date.parse("2025-06-30T06:00:00Z"); now < Date.parse("2025-07-01T01:00:00Z"); now += 6 * HOUR) {
      const kept = new Set(ids(planPrune(input(history, now, RETENTION_PRESETS.gfs)).keep));
      if (previous) for (const id of kept) assert.ok(previous.has(id), `${id} reappeared`);
      previous = kept;
    }
  });

  test("clinical: at least one backup of every month within 2,555 days survives, older monthlies go", () => {
    const history = dailyHistory("2018-01-01", "2026-02-27");
    const now = Date.parse("2026-02-27T12:00:00Z");
    const plan = planPrune(input(history, now, RETENTION_PRESETS.clinical));
    const kept = new Set(ids(plan.keep));
    for (let m = 0; m < 12 * 9; m++) {
      const start = Date.UTC(2018, m, 1);
      const first = firstIn(history, start, Date.UTC(2018, m + 1, 1));
      if (!first) continue;
      const firstTime = history.find((b) => b.id === first)!.time;
      assert.equal(kept.has(first), now - firstTime < 2555 * DAY, `month ${new Date(start).toISOString().slice(0, 7)}`);
    }
    const monthlies = plan.keep.filter((k) => k.generations.some((g) => g.tier === "monthly"));
    assert.ok(monthlies.length >= 83 && monthlies.length <= 85, `${monthlies.length} monthlies`);
  });

  test("locked and held backups survive although the policy lets them go, and say why", () => {
    const history = dailyHistory("2025-01-01", "2025-12-31");
    const now = Date.parse("2025-12-31T10:00:00Z");
    const unlocked = planPrune(input(history, now, RETENTION_PRESETS.gfs));
    const [a, b, c] = unlocked.remove.map((r) => r.id);
    const facts = history.map((h) =>
      h.id === a
        ? { ...h, lock: { mode: "COMPLIANCE" as const, until: now + 30 * DAY, legalHold: false } }
        : h.id === b
          ? { ...h, lock: { legalHold: true } }
          : h.id === c
            ? { ...h, lock: { mode: "GOVERNANCE" as const, until: now - DAY, legalHold: false } }
            : h,
    );
    const plan = planPrune(input(facts, now, RETENTION_PRESETS.gfs));
    assert.deepEqual(ids(plan.blocked), [a, b].sort());
    assert.match(plan.blocked.find((x) => x.id === a)!.why, /locked \(COMPLIANCE\) until/);
    assert.match(plan.blocked.find((x) => x.id === b)!.why, /legal hold/);
    assert.ok(
      plan.remove.some((r) => r.id === c),
      "an expired lock does not keep a backup",
    );
    assert.equal(plan.remove.length, unlocked.remove.length - 2);
  });

  test("the newest verified backup survives when the newest N are all unverified", () => {
    const lastVerified = Date.parse("2025-06-10T02:00:00Z");
    const history = dailyHistory("2025-01-01", "2025-06-30", { verified: (t) => t <= lastVerified });
    const policy = { keepLast: 3, daily: 3, weekly: 0, monthly: 0, yearly: 0 };
    const plan = planPrune(input(history, Date.parse("2025-06-30T05:00:00Z"), policy));
    const newestVerified = plan.keep.find((k) => k.reasons.includes("the newest verified backup"));
    assert.equal(newestVerified?.id, idAt(lastVerified));
    // ... with the two verified before it: never fewer than keepLast proven restorable.
    assert.deepEqual(
      plan.keep.filter((k) => k.reasons.some((r) => r.includes("proven restorable"))).map((k) => k.time.slice(0, 10)),
      ["2025-06-10", "2025-06-09", "2025-06-08"],
    );
  });

  test("nothing is pruned while backups fail: a stale newest backup, or a newer run without a manifest", () => {
    const history = dailyHistory("2024-01-01", "2025-06-01");
    const stale = planPrune(input(history, Date.parse("2025-06-04T02:00:00Z"), RETENTION_PRESETS.gfs));
    assert.equal(stale.refused?.code, "BACKUPS_FAILING");
    assert.match(stale.refused!.message, /3 days old/);
    assert.equal(stale.remove.length, 0);
    assert.equal(stale.keep.length, history.length);

    const now = Date.parse("2025-06-01T20:00:00Z");
    const failedRun = { dir: `clinic/${idAt(now - HOUR)}`, time: now - HOUR, lastModified: now - HOUR, bytes: 5 };
    const failing = planPrune(input(history, now, RETENTION_PRESETS.gfs, { incomplete: [failedRun] }));
    assert.equal(failing.refused?.code, "BACKUPS_FAILING");
    assert.equal(failing.remove.length, 0);
  });

  test("fewer proven-restorable backups than keepLast, or no policy: nothing is pruned, with the way out", () => {
    const history = dailyHistory("2024-01-01", "2025-06-01", { verified: (t) => t < Date.parse("2024-01-04") });
    const now = Date.parse("2025-06-01T05:00:00Z");
    const few = planPrune(input(history, now, RETENTION_PRESETS.gfs));
    assert.equal(few.refused?.code, "TOO_FEW_PROVEN");
    assert.match(few.refused!.hint, /lifeboat verify/);
    assert.equal(few.remove.length, 0);
    const none = planPrune(input(history, now, undefined));
    assert.equal(none.refused?.code, "NO_POLICY");
    assert.equal(none.remove.length, 0);
  });

  test("a folder that is not provably a Lifeboat backup is never deleted", () => {
    const history = dailyHistory("2024-01-01", "2024-12-31");
    const now = Date.parse("2024-12-31T05:00:00Z");
    const victim = planPrune(input(history, now, RETENTION_PRESETS.gfs)).remove[0]!.id;
    const facts = history.map((h) =>
      h.id === victim ? { ...h, provable: "holds notes.txt, which Lifeboat never writes" } : h,
    );
    const plan = planPrune(input(facts, now, RETENTION_PRESETS.gfs));
    assert.match(plan.blocked.find((b) => b.id === victim)!.why, /not provably a Lifeboat backup: holds notes.txt/);
    assert.ok(!plan.remove.some((r) => r.id === victim));
  });

  test("incomplete runs and multipart uploads older than a day are cleaned; younger ones may still be running", () => {
    const history = dailyHistory("2024-01-01", "2024-12-31");
    const now = Date.parse("2024-12-31T05:00:00Z");
    const old = { dir: "clinic/x-old", time: now - 3 * DAY, lastModified: now - 3 * DAY, bytes: 10 };
    const locked = {
      ...old,
      dir: "clinic/x-locked",
      lock: { mode: "COMPLIANCE" as const, until: now + DAY, legalHold: false },
    };
    const foreign = {
      ...old,
      dir: "clinic/x-foreign",
      provable: "it holds clinic/x-foreign/notes.txt, which Lifeboat never writes",
    };
    const plan = planPrune(
      input(history, now, RETENTION_PRESETS.gfs, {
        incomplete: [old, locked, foreign],
        uploads: [
          { key: "clinic/a/db", uploadId: "u1", initiated: now - 2 * DAY },
          { key: "clinic/b/db", uploadId: "u2", initiated: now - HOUR },
        ],
      }),
    );
    assert.deepEqual(
      plan.incomplete.map((i) => [i.dir, i.action]),
      [
        ["clinic/x-old", "delete"],
        ["clinic/x-locked", "keep"],
        ["clinic/x-foreign", "keep"],
      ],
    );
    assert.deepEqual(
      plan.uploads.map((u) => [u.uploadId, u.action]),
      [
        ["u1", "abort"],
        ["u2", "keep"],
      ],
    );
  });

  test("a kept backup locked for less than its tier needs is extended", () => {
    const history = dailyHistory("2025-01-01", "2025-03-31");
    const now = Date.parse("2025-03-31T05:00:00Z");
    const march1 = idAt(Date.parse("2025-03-01T02:00:00Z"));
    const facts = history.map((h) =>
      h.id === march1
        ? { ...h, lock: { mode: "COMPLIANCE" as const, until: now + DAY, weakest: now + DAY, legalHold: false } }
        : h,
    );
    const plan = planPrune(input(facts, now, RETENTION_PRESETS.clinical, { lockMode: "COMPLIANCE" }));
    const ext = plan.extend.find((e) => e.id === march1);
    assert.ok(ext, "the monthly's short lock is extended");
    assert.equal(
      ext.to.slice(0, 10),
      new Date(Date.parse("2025-03-01T02:00:00Z") + 2555 * DAY).toISOString().slice(0, 10),
    );
  });
});

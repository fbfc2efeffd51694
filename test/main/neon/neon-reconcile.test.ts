// After a lost answer Lifeboat looks for what the change would have made, and reports what exists: the boundary
// (one request sent, never two; what is read afterwards), on a programmable server. The same faults on the sandbox
// are in test/main/cli/neon-faults.int.test.ts.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { exitCodeFor } from "../../../src/shared/errors.ts";
import { recoverTo } from "../../../src/main/neon/recover-to.ts";
import { restoreInPlace } from "../../../src/main/neon/restore-in-place.ts";
import { deleteBranch } from "../../../src/main/neon/neon-branches.ts";
import { neonProfile, testContext, type TestContext, failure } from "./neon-test-profile.ts";
import { branch, miniProject, project, startStubNeon, type MiniState, type StubNeon } from "./stub-neon.ts";

let stub: StubNeon;
let ctx: TestContext;
let state: MiniState;

before(async () => {
  stub = await startStubNeon(() => ({ status: 500 }));
  ctx = await testContext();
});
after(async () => {
  await stub.stop();
  await ctx.dispose();
});
beforeEach(() => {
  state = {
    project: project({ history_retention_seconds: 3600, created_at: "2020-01-01T00:00:00Z" }),
    branches: [branch("main", { default: true })],
    uri: "postgresql://neondb_owner:pw@ep-x-1.example.invalid/neondb?sslmode=require",
  };
  stub.requests.length = 0;
  stub.handle = miniProject(state);
});

const profile = () => neonProfile(stub.url);
const fast = {
  reconcile: { checks: 2, spacingMs: 20 },
  pollIntervalMs: 10,
  retry: { baseDelayMs: 10, maxDelayMs: 20 },
};
const posts = () => stub.requests.filter((r) => r.method === "POST");

/** The first POST is carried out (or not) and then its answer dropped. */
function loseFirstPost(carryOut: boolean): void {
  const base = stub.handle;
  let lost = false;
  stub.handle = async (r) => {
    if (r.method === "POST" && !lost) {
      lost = true;
      if (carryOut) await base(r);
      return "reset";
    }
    return base(r);
  };
}

const lines = async () =>
  (await ctx.journalText())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("recover-to after a lost answer", () => {
  test("Neon made the branch: found by name, reported as made, one POST", async () => {
    loseFirstPost(true);
    const r = await recoverTo(profile(), { ...fast, point: "10 minutes ago", name: "recovery-lost-1" }, ctx);
    assert.equal(r.branch.name, "recovery-lost-1");
    assert.deepEqual(r.reconciled, ["branch recovery-lost-1 (br-recovery-lost-1-1) exists"]);
    assert.equal(posts().length, 1);
  });

  test("the relative point is announced as fixed before the first request, and that instant is what is sent", async () => {
    const notes: Array<{ text: string; requestsBefore: number }> = [];
    const onNote = (text: string) => notes.push({ text, requestsBefore: stub.requests.length });
    await recoverTo(profile(), { ...fast, onNote, point: "10 minutes ago", name: "recovery-announced" }, ctx);
    const fixed = notes.find((n) => n.text.startsWith("point: "));
    assert.ok(fixed, JSON.stringify(notes));
    assert.equal(fixed.requestsBefore, 0, "announced before anything was sent");
    const at = /is fixed at (\S+Z);/.exec(fixed.text)?.[1];
    assert.ok(at, fixed.text);
    const sent = posts()[0]!.body as { branch: { parent_timestamp: string } };
    assert.equal(sent.branch.parent_timestamp, at);
  });

  test("Neon did not make it: said so, safe to repeat, with the absolute point", async () => {
    loseFirstPost(false);
    const e = await failure(recoverTo(profile(), { ...fast, point: "10 minutes ago", name: "recovery-lost-2" }, ctx));
    assert.equal(e.code, "NEON_API");
    assert.match(e.message, /Lifeboat checked: Neon did not make branch recovery-lost-2 \(2 checks/);
    assert.match(e.hint ?? "", /safe to run the same command again/);
    assert.match(e.hint ?? "", /"10 minutes ago" was fixed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    assert.equal(posts().length, 1);
  });
});

describe("restore after a lost answer", () => {
  test("Neon restored (the backup branch exists): requested and outcome journaled separately, ok", async () => {
    loseFirstPost(true);
    const r = await restoreInPlace(
      profile(),
      { ...fast, point: "10 minutes ago", confirm: "main", preserveAs: "backup-lost-1" },
      ctx,
    );
    assert.deepEqual(r.reconciled, ["backup branch backup-lost-1 (br-backup-lost-1-1) exists"]);
    assert.equal(posts().length, 1);
    const mine = (await lines()).filter((l) => l.kind === "neon.restore" && l.details.preserveAs === "backup-lost-1");
    assert.deepEqual(
      mine.map((l) => l.outcome),
      ["started", "info", "ok"],
    );
    assert.match(
      mine[1].summary,
      /Restore of main requested .*Neon's answer was lost, but backup branch backup-lost-1/,
    );
    assert.match(mine[0].details.pointAbsolute, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test("Neon did not restore: failed (truthfully), safe to repeat, to the absolute point", async () => {
    loseFirstPost(false);
    const e = await failure(
      restoreInPlace(
        profile(),
        { ...fast, point: "10 minutes ago", confirm: "main", preserveAs: "backup-lost-2" },
        ctx,
      ),
    );
    assert.match(e.message, /main was not restored \(no backup branch backup-lost-2/);
    assert.match(e.hint ?? "", /safe to run the same restore again/);
    assert.match(e.hint ?? "", /give --to "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", not "10 minutes ago"/);
    assert.equal(posts().length, 1);
  });

  test("Neon cannot be asked: the outcome is unknown, journaled as unknown, exit 4", async () => {
    const base = stub.handle;
    let posted = false;
    stub.handle = (r) => {
      if (r.method === "POST") posted = true;
      return posted ? "reset" : base(r);
    };
    const e = await failure(
      restoreInPlace(
        profile(),
        { ...fast, maxRetryWaitMs: 200, point: "10 minutes ago", confirm: "main", preserveAs: "backup-lost-3" },
        ctx,
      ),
    );
    assert.equal(e.code, "NEON_OUTCOME_UNKNOWN");
    assert.equal(exitCodeFor(e.code), 4);
    assert.match(e.message, /could not be asked whether branch main was restored/);
    assert.match(e.hint ?? "", /Do not repeat it yet/);
    const mine = (await lines()).filter((l) => l.kind === "neon.restore" && l.details.preserveAs === "backup-lost-3");
    assert.deepEqual(
      mine.map((l) => l.outcome),
      ["started", "unknown"],
    );
  });
});

describe("delete after a lost answer", () => {
  test("the branch is gone: deleted", async () => {
    state.branches.push(branch("recovery-old"));
    const base = stub.handle;
    let lost = false;
    stub.handle = async (r) => {
      if (r.method !== "DELETE" || lost) return base(r);
      lost = true;
      await base(r);
      return "reset";
    };
    const r = await deleteBranch(profile(), { ...fast, branch: "recovery-old" }, ctx);
    assert.equal(r.deleted, true);
    assert.equal(stub.requests.filter((x) => x.method === "DELETE").length, 1);
  });
});

describe("guards before the request", () => {
  test("a child branch cannot be restored to a time: Neon's rule and the way out, nothing sent", async () => {
    state.branches.push(branch("dev", { parent_id: "br-main-1" }));
    const e = await failure(restoreInPlace(profile(), { point: "10 minutes ago", branch: "dev", confirm: "dev" }, ctx));
    assert.equal(e.code, "NEON_REFUSED");
    assert.match(e.message, /only from and into root branches, and dev .* was made from main/);
    assert.match(e.hint ?? "", /recover-to --parent dev/);
    assert.equal(posts().length, 0);
  });

  test("restricted_actions restore: refused with Neon's reason", async () => {
    state.branches[0] = branch("main", {
      default: true,
      restricted_actions: [{ name: "restore", reason: "restore from snapshot on target branch is still ongoing" }],
    });
    const e = await failure(restoreInPlace(profile(), { point: "10 minutes ago", confirm: "main" }, ctx));
    assert.equal(e.code, "NEON_REFUSED");
    assert.match(e.message, /restore from snapshot on target branch is still ongoing/);
    assert.equal(posts().length, 0);
  });

  test("a protected branch is not reset from its parent", async () => {
    state.branches.push(branch("staging", { parent_id: "br-main-1", protected: true }));
    const e = await failure(
      restoreInPlace(profile(), { branch: "staging", sourceBranch: "main", confirm: "staging" }, ctx),
    );
    assert.match(e.message, /protected branch, and Neon does not reset protected branches/);
    assert.equal(posts().length, 0);
  });
});

describe("timeline after an earlier restore", () => {
  test("a point between the restore target and the restore: whose data it holds, and the backup to use", async () => {
    const resetAt = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    const target = new Date(Date.now() - 30 * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    // Not "main": this file's journal already records restores of main, which would be read first.
    state.branches = [
      branch("prod_old_2026", { created_at: resetAt }),
      branch("prod", {
        default: true,
        last_reset_at: resetAt,
        parent_id: "br-prod-old-2026-1",
        parent_timestamp: target,
      }),
    ];
    const r = await recoverTo(profile(), { point: "10 minutes ago", name: "recovery-second" }, ctx);
    assert.equal(r.warnings.length, 1);
    assert.match(
      r.warnings[0]!,
      new RegExp(`prod was restored at ${resetAt} to ${target}, so .* holds prod as of ${target}`),
    );
    assert.match(r.warnings[0]!, /branch prod_old_2026 \(br-prod-old-2026-1\): use that as the source instead/);
    // The way out names the point as fixed, not "10 minutes ago"; a restore to a time needs two roots, so no --to.
    assert.match(
      r.warnings[0]!,
      /\(recover-to --parent prod_old_2026 "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", restore --source-branch prod_old_2026\)/,
    );
    assert.match(r.holds, new RegExp(`^prod as of ${target}`));
  });
});

// The Neon engine against the local sandbox: Neon's API backed by real PostgreSQL point-in-time recovery. A recovery
// branch at T really holds the rows committed before T, the URI it hands back really connects, and the journal never
// holds it. One sandbox for the file; the tests run in order and build on each other.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Profile } from "../../../src/shared/config.ts";
import { emergencySnapshot } from "../../../src/main/neon/emergency-snapshot.ts";
import { deleteBranch, listBranches } from "../../../src/main/neon/neon-branches.ts";
import { neonStatus } from "../../../src/main/neon/neon-status.ts";
import { recoverTo } from "../../../src/main/neon/recover-to.ts";
import { restoreInPlace } from "../../../src/main/neon/restore-in-place.ts";
import { queryUri, useSandbox } from "../../harness/neon-sandbox.ts";
import { neonProfile, testContext, type TestContext, failure } from "./neon-test-profile.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Neon engine on the sandbox", () => {
  const sandbox = useSandbox();
  let ctx: TestContext;
  let profile: Profile;
  const marks: Date[] = [];
  const passwords: string[] = [];

  before(async () => {
    const s = sandbox();
    ctx = await testContext({ SANDBOX_KEY: s.apiKey });
    profile = neonProfile(s.apiUrl, { projectId: s.projectId, apiKey: "env:SANDBOX_KEY" });
    const main = s.connectionUri()!;
    await queryUri(
      main,
      `CREATE TABLE lifeboat_mark (n int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
    );
  });
  after(async () => ctx?.dispose());

  async function mark(n: number): Promise<void> {
    const [r] = await queryUri(sandbox().connectionUri()!, `INSERT INTO lifeboat_mark (n) VALUES ($1) RETURNING at`, [
      n,
    ]);
    marks[n] = r.at as Date;
  }
  const marksOn = async (uri: string) =>
    (await queryUri(uri, `SELECT n FROM lifeboat_mark ORDER BY n`)).map((r) => r.n as number);

  test("status: history window, PostgreSQL version, default branch, compute state", async () => {
    const s = await neonStatus(profile, {}, ctx);
    assert.equal(s.projectId, sandbox().projectId);
    assert.equal(s.pgVersion, sandbox().pgVersion);
    assert.equal(s.defaultBranch.id, sandbox().defaultBranchId);
    assert.ok(s.historyRetentionSeconds >= 0);
    // A fresh sandbox keeps 7 days (its plan's maximum) but is minutes old: information, not a shortfall.
    assert.equal(s.windowShort, false);
    assert.equal(s.window.young, true);
    assert.equal(s.plan.name, "Launch");
    assert.match(s.notes.join("\n"), /younger than its 7 d window/);
    assert.deepEqual(s.warnings, []);
    assert.equal(s.computeState, "active");
    assert.ok(Date.parse(s.window.start) <= Date.now());
  });

  test("recover-to a timestamp: the branch holds exactly the rows committed before it, through the URI handed back", async () => {
    await mark(1);
    await sleep(1200);
    const t = new Date();
    await sleep(1200);
    await mark(2);
    const r = await recoverTo(profile, { point: t.toISOString(), name: "recovery-at-t" }, ctx);
    const uri = r.connection.reveal();
    passwords.push(decodeURIComponent(new URL(uri).password));
    assert.deepEqual(await marksOn(uri), [1]);
    assert.deepEqual(await queryUri(uri, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [{ n: 423 }]);
    assert.equal(r.branch.parentId, sandbox().defaultBranchId);
    assert.equal(r.pointInTime, t.toISOString());
    await deleteBranch(profile, { branch: "recovery-at-t" }, ctx);
  });

  test("recover-to a relative time, with the URI kept out of the journal", async () => {
    await sleep(1500);
    await mark(3);
    const r = await recoverTo(profile, { point: "1 second ago" }, ctx);
    assert.match(r.branch.name, /^recovery-\d{8}-\d{6}$/);
    const uri = r.connection.reveal();
    passwords.push(decodeURIComponent(new URL(uri).password));
    assert.deepEqual(await marksOn(uri), [1, 2], "mark 3 was committed less than a second ago");
    const journal = await ctx.journalText();
    assert.match(journal, /"kind":"neon.recover-to"/);
    for (const p of passwords) assert.ok(!journal.includes(p), "the journal holds a branch password");
    assert.ok(!journal.includes("postgresql://") && !journal.includes("[REDACTED]"));
    await deleteBranch(profile, { branch: r.branch.id }, ctx);
  });

  test("times outside the window are refused before any branch is made", async () => {
    const before = (await listBranches(profile, {}, ctx)).branches.length;
    assert.equal((await failure(recoverTo(profile, { point: "2 days ago" }, ctx))).code, "NEON_OUTSIDE_WINDOW");
    assert.equal((await failure(recoverTo(profile, { point: "in an hour" }, ctx))).code, "USAGE");
    assert.equal((await listBranches(profile, {}, ctx)).branches.length, before);
  });

  test("snapshot: an emergency branch of the head, without a compute", async () => {
    const r = await emergencySnapshot(profile, { name: "emergency-test" }, ctx);
    assert.equal(r.method, "branch");
    const b = (await listBranches(profile, {}, ctx)).branches.find((x) => x.name === "emergency-test");
    assert.ok(b?.lifeboat);
    assert.equal(b?.parentId, sandbox().defaultBranchId);
    assert.equal(b?.computeState, undefined);
  });

  test("restore in place: refused without the typed name; with it, the data goes back and the old state is kept", async () => {
    const refused = await failure(restoreInPlace(profile, { point: marks[2]!.toISOString() }, ctx));
    assert.equal(refused.code, "CONFIRMATION_REQUIRED");
    assert.equal(
      (await failure(restoreInPlace(profile, { point: marks[2]!.toISOString(), confirm: "prod" }, ctx))).code,
      "CONFIRMATION_REQUIRED",
    );
    assert.deepEqual(await marksOn(sandbox().connectionUri()!), [1, 2, 3], "nothing was restored");

    // Between marks 2 and 3: the restore must drop mark 3 from production.
    const at = new Date((marks[2]!.getTime() + marks[3]!.getTime()) / 2).toISOString();
    const r = await restoreInPlace(
      profile,
      { point: at, confirm: "main", preserveAs: "backup-before-restore-test" },
      ctx,
    );
    assert.equal(r.branch.id, sandbox().defaultBranchId, "same branch, same id");
    assert.ok(r.preservedId);
    await sleep(500);
    assert.deepEqual(await marksOn(sandbox().connectionUri()!), [1, 2]);
    const rows = (await listBranches(profile, {}, ctx)).branches;
    assert.equal(
      rows.find((b) => b.name === "backup-before-restore-test")?.lifeboat,
      false,
      "a preserved state is not Lifeboat's to delete",
    );
  });

  test("delete guard rails: never the default branch, nor a branch Lifeboat did not make", async () => {
    for (const name of ["main", "backup-before-restore-test"]) {
      const e = await failure(deleteBranch(profile, { branch: name }, ctx));
      assert.equal(e.code, "NEON_REFUSED", `${name}: ${e.code} ${e.message}`);
    }
    const r = await deleteBranch(profile, { branch: "emergency-test" }, ctx);
    assert.equal(r.deleted, true);
    const names = (await listBranches(profile, {}, ctx)).branches.map((b) => b.name);
    assert.ok(
      names.includes("main") && names.includes("backup-before-restore-test") && !names.includes("emergency-test"),
      names.join(),
    );
  });
});

// What reaches the API, and what must not: refusals happen before the request they guard.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deleteBranch } from "../../../src/main/neon/neon-branches.ts";
import { emergencySnapshot } from "../../../src/main/neon/emergency-snapshot.ts";
import { recoverTo } from "../../../src/main/neon/recover-to.ts";
import { restoreInPlace } from "../../../src/main/neon/restore-in-place.ts";
import { API_KEY, neonProfile, testContext, type TestContext, failure } from "./neon-test-profile.ts";
import { branch, error, miniProject, project, startStubNeon, type MiniState, type StubNeon } from "./stub-neon.ts";

const PASSWORD = "npg_Zx81kQ2vLw";
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
    project: project({ history_retention_seconds: 3600 }),
    branches: [
      branch("main", { default: true }),
      branch("recovery-20260101-000000"),
      branch("emergency-protected", { protected: true }),
      branch("dev-alice"),
    ],
    uri: `postgresql://neondb_owner:${PASSWORD}@ep-x-1.example.invalid/neondb?sslmode=require`,
  };
  stub.requests.length = 0;
  stub.handle = miniProject(state);
});

const profile = () => neonProfile(stub.url);
const calls = () => stub.requests.map((r) => `${r.method} ${r.path}`);

describe("recover-to", () => {
  test("a time before the window is refused after one getProject, before any branch is made", async () => {
    const e = await failure(recoverTo(profile(), { point: "2 hours ago" }, ctx));
    assert.equal(e.code, "NEON_OUTSIDE_WINDOW");
    assert.match(e.message, /before the earliest point Neon can restore to/);
    assert.deepEqual(calls(), ["GET /projects/quiet-lake-123456"]);
  });

  test("a time in the future is refused with no API call at all", async () => {
    const e = await failure(recoverTo(profile(), { point: "2099-01-01 00:00:00 UTC" }, ctx));
    assert.equal(e.code, "NEON_OUTSIDE_WINDOW");
    assert.match(e.message, /in the future/);
    assert.deepEqual(calls(), []);
  });

  test("an unparsable time is USAGE with examples, and no API call", async () => {
    const e = await failure(recoverTo(profile(), { point: "last tuesday" }, ctx));
    assert.equal(e.code, "USAGE");
    assert.match(e.hint ?? "", /24 hours ago/);
    assert.deepEqual(calls(), []);
  });

  test("a name already taken is refused before the create", async () => {
    const e = await failure(recoverTo(profile(), { point: "10 minutes ago", name: "dev-alice" }, ctx));
    assert.equal(e.code, "NEON_NAME_TAKEN");
    assert.ok(!calls().includes("POST /projects/quiet-lake-123456/branches"));
  });

  test("creates a read-write branch at the time, hands back the unpooled URI, and journals no secret", async () => {
    const t0 = Date.now();
    const r = await recoverTo(profile(), { point: "30 minutes ago" }, ctx);
    const create = stub.requests.find((x) => x.method === "POST")!;
    const body = create.body as {
      branch: { name: string; parent_id: string; parent_timestamp: string };
      endpoints: Array<{ type: string }>;
    };
    assert.deepEqual(body.endpoints, [{ type: "read_write" }]);
    assert.equal(body.branch.parent_id, "br-main-1");
    assert.match(body.branch.name, /^recovery-\d{8}-\d{6}$/);
    const at = Date.parse(body.branch.parent_timestamp);
    assert.ok(Math.abs(t0 - 30 * 60_000 - at) < 5_000, body.branch.parent_timestamp);

    const uriCall = stub.requests.find((x) => x.path.endsWith("/connection_uri"))!;
    assert.equal(uriCall.query.get("pooled"), "false");
    assert.equal(uriCall.query.get("database_name"), "neondb");
    assert.equal(uriCall.query.get("role_name"), "neondb_owner");
    assert.equal(uriCall.query.get("endpoint_id"), "ep-x-1");

    assert.equal(r.connection.reveal(), state.uri);
    assert.equal(r.connection.toConnInfo().password, PASSWORD);
    assert.ok(!JSON.stringify(r).includes(PASSWORD));
    assert.ok(!`${r.connection}`.includes(PASSWORD));

    const journal = await ctx.journalText();
    assert.match(journal, /"kind":"neon.recover-to"/);
    assert.match(journal, new RegExp(`"branchId":"${r.branch.id}"`));
    for (const secret of [PASSWORD, "postgresql://", API_KEY, "[REDACTED]"])
      assert.ok(!journal.includes(secret), `journal holds ${secret}`);
  });

  test("an LSN is sent as parent_lsn", async () => {
    await recoverTo(profile(), { point: "0/1a2b3c4", name: "recovery-lsn" }, ctx);
    const body = stub.requests.find((x) => x.method === "POST")!.body as { branch: Record<string, unknown> };
    assert.equal(body.branch.parent_lsn, "0/1A2B3C4");
    assert.equal(body.branch.parent_timestamp, undefined);
  });

  test("a failure after the branch exists says the branch was made", async () => {
    const base = stub.handle;
    stub.handle = (r) => (r.path.endsWith("/connection_uri") ? error(404, "role not found") : base(r));
    const e = await failure(recoverTo(profile(), { point: "1 minute ago", name: "recovery-half" }, ctx));
    assert.match(e.message, /branch recovery-half, br-recovery-half-1, was created/);
    assert.match(e.hint ?? "", /lifeboat neon delete recovery-half/);
  });
});

describe("restore in place", () => {
  test("without --confirm: refused, no API call", async () => {
    const e = await failure(restoreInPlace(profile(), { point: "10 minutes ago" }, ctx));
    assert.equal(e.code, "CONFIRMATION_REQUIRED");
    assert.deepEqual(calls(), []);
  });

  test("a confirm that differs from the named branch: refused, no API call", async () => {
    const e = await failure(
      restoreInPlace(profile(), { branch: "main", confirm: "mian", point: "10 minutes ago" }, ctx),
    );
    assert.equal(e.code, "CONFIRMATION_REQUIRED");
    assert.match(e.message, /does not match/);
    assert.deepEqual(calls(), []);
  });

  test("a confirm that differs from the default branch: refused before the restore request", async () => {
    const e = await failure(restoreInPlace(profile(), { confirm: "prod", point: "10 minutes ago" }, ctx));
    assert.equal(e.code, "CONFIRMATION_REQUIRED");
    assert.ok(!calls().some((c) => c.startsWith("POST")));
  });

  test("confirmed: restores with preserve_under_name so the old state is kept", async () => {
    const r = await restoreInPlace(profile(), { confirm: "main", point: "10 minutes ago" }, ctx);
    const body = stub.requests.find((x) => x.method === "POST")!.body as Record<string, string>;
    assert.equal(body.source_branch_id, "br-main-1");
    assert.match(body.preserve_under_name!, /^backup-before-restore-\d{8}-\d{6}$/);
    assert.ok(body.source_timestamp);
    assert.equal(r.preservedAs, body.preserve_under_name);
    assert.ok(r.preservedId);
    assert.equal(r.branch.name, "main");
    const journal = await ctx.journalText();
    assert.match(journal, /"kind":"neon.restore".*"outcome":"ok"/);
  });

  test("outside the window: refused before the restore request", async () => {
    const e = await failure(restoreInPlace(profile(), { confirm: "main", point: "3 hours ago" }, ctx));
    assert.equal(e.code, "NEON_OUTSIDE_WINDOW");
    assert.ok(!calls().some((c) => c.startsWith("POST")));
  });
});

describe("delete", () => {
  for (const [name, why] of [
    ["main", /only the branches it makes/],
    ["dev-alice", /only the branches it makes/],
  ] as const) {
    test(`"${name}" is not Lifeboat's: refused with no API call`, async () => {
      const e = await failure(deleteBranch(profile(), { branch: name }, ctx));
      assert.equal(e.code, "NEON_REFUSED");
      assert.match(e.message, why);
      assert.deepEqual(calls(), []);
    });
  }

  test("the default branch is never deleted, whatever its name", async () => {
    state.branches[0]!.name = "recovery-now-production";
    const e = await failure(deleteBranch(profile(), { branch: "recovery-now-production" }, ctx));
    assert.match(e.message, /default branch/);
    assert.ok(!calls().some((c) => c.startsWith("DELETE")));
  });

  test("a protected branch is never deleted", async () => {
    const e = await failure(deleteBranch(profile(), { branch: "emergency-protected" }, ctx));
    assert.match(e.message, /protected/);
    assert.ok(!calls().some((c) => c.startsWith("DELETE")));
  });

  test("nor one with children, and a non-Lifeboat id is refused after lookup", async () => {
    state.branches.push(branch("dev-bob", { parent_id: "br-recovery-20260101-000000-1" }));
    assert.match(
      (await failure(deleteBranch(profile(), { branch: "recovery-20260101-000000" }, ctx))).message,
      /dev-bob/,
    );
    assert.match(
      (await failure(deleteBranch(profile(), { branch: "br-dev-alice-1" }, ctx))).message,
      /only the branches it makes/,
    );
    assert.ok(!calls().some((c) => c.startsWith("DELETE")));
  });

  test("a Lifeboat branch is deleted, by name or id", async () => {
    const r = await deleteBranch(profile(), { branch: "recovery-20260101-000000" }, ctx);
    assert.deepEqual([r.id, r.branch, r.deleted], ["br-recovery-20260101-000000-1", "recovery-20260101-000000", true]);
    assert.ok(calls().includes("DELETE /projects/quiet-lake-123456/branches/br-recovery-20260101-000000-1"));
    assert.ok(!state.branches.some((b) => b.name === "recovery-20260101-000000"));
  });

  test("refusals are journaled as refused", async () => {
    await failure(deleteBranch(profile(), { branch: "main" }, ctx));
    const last = (await ctx.journal.query({ kind: "neon.delete", newest: true, limit: 1 })).records[0]!;
    assert.equal(last.outcome, "refused");
    assert.equal((last.details.error as { code: string }).code, "NEON_REFUSED");
  });
});

describe("snapshot", () => {
  test("default: an emergency branch from the head of the default branch, with no compute", async () => {
    const r = await emergencySnapshot(profile(), {}, ctx);
    assert.equal(r.method, "branch");
    assert.match(r.branch.name, /^emergency-\d{8}-\d{6}$/);
    assert.equal(r.branch.lifeboat, true);
    const body = stub.requests.find((x) => x.method === "POST")!.body as {
      branch: Record<string, unknown>;
      endpoints?: unknown;
    };
    assert.deepEqual(body, { branch: { name: r.branch.name, parent_id: "br-main-1" } });
  });

  test("auto: the snapshot API first, a branch when the project has none", async () => {
    const r = await emergencySnapshot(profile(), { method: "auto", name: "emergency-auto" }, ctx);
    assert.ok(calls().includes("POST /projects/quiet-lake-123456/branches/br-main-1/snapshot"));
    assert.equal(r.method, "branch");
    assert.match(r.fallbackReason ?? "", /404/);
  });

  test("--method snapshot uses the snapshot API and reports its failure", async () => {
    const e = await failure(emergencySnapshot(profile(), { method: "snapshot", name: "emergency-snap" }, ctx));
    assert.equal(e.code, "NEON_NOT_FOUND");
    assert.ok(!calls().includes("POST /projects/quiet-lake-123456/branches"));
  });
});

describe("results fit the API contract's schemas", () => {
  test("status, recover-to, snapshot, restore, branches, delete", async () => {
    const { neonChannels } = await import("../../../src/shared/api/channels/neon-channels.ts");
    const base = stub.handle;
    stub.handle = (r) =>
      r.method === "GET" && r.path === "/projects/quiet-lake-123456/endpoints"
        ? {
            status: 200,
            body: {
              endpoints: [
                { id: "ep-main-1", branch_id: "br-main-1", type: "read_write", current_state: "idle", host: "h" },
              ],
            },
          }
        : base(r);
    const p = profile();
    const { neonStatus } = await import("../../../src/main/neon/neon-status.ts");
    const { listBranches } = await import("../../../src/main/neon/neon-branches.ts");
    const status = await neonStatus(p, {}, ctx);
    neonChannels["neon.status"].result.parse(status);
    assert.equal(status.windowShort, true, "1 h of history is less than the default 168 h");
    assert.match(
      status.warnings.join(" "),
      /less than the 7 d required \(default: Neon's recommendation for production\)/,
    );
    assert.equal(status.computeState, "idle");
    neonChannels["neon.recoverTo"].result.parse(
      await recoverTo(p, { point: "5 minutes ago", name: "recovery-contract" }, ctx),
    );
    neonChannels["neon.snapshot"].result.parse(await emergencySnapshot(p, { name: "emergency-contract" }, ctx));
    neonChannels["neon.restore"].result.parse(
      await restoreInPlace(
        p,
        { confirm: "main", point: "5 minutes ago", preserveAs: "backup-before-restore-contract" },
        ctx,
      ),
    );
    const list = await listBranches(p, {}, ctx);
    neonChannels["neon.branches"].result.parse(list);
    assert.equal(list.branches.find((b) => b.name === "main")?.computeState, "idle");
    neonChannels["neon.deleteBranch"].result.parse(await deleteBranch(p, { branch: "recovery-contract" }, ctx));
  });
});

describe("branchConnection", () => {
  test("the unpooled URI of an existing branch's compute, wrapped", async () => {
    const { branchConnection } = await import("../../../src/main/neon/branch-connection.ts");
    const c = await branchConnection(profile(), { branch: "main" }, ctx);
    assert.equal(c.reveal(), state.uri);
    assert.equal(`${c}`, "[connection URI hidden]");
    const uriCall = stub.requests.find((x) => x.path.endsWith("/connection_uri"))!;
    assert.equal(uriCall.query.get("pooled"), "false");
    assert.equal(uriCall.query.get("endpoint_id"), "ep-main-1");
    const e = await failure(branchConnection(profile(), { branch: "nope" }, ctx));
    assert.equal(e.code, "NEON_NOT_FOUND");
    assert.match(e.hint ?? "", /Branches: main, recovery-20260101-000000/);
  });
});

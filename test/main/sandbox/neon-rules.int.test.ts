// The rules the sandbox teaches, as Neon documents them, met with the real neonctl: restoring a root branch and undoing
// it, restoring a branch that has a parent and undoing it with `branches reset --parent`, what may not be deleted,
// protected branches (and unprotecting), root-only instant restore, cursor pagination, `projects list`. One sandbox.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createBranch,
  neonApi,
  queryUri,
  useSandbox,
  waitForOperations,
  type NeonBody,
} from "../../harness/neon-sandbox.ts";
import { neonctl } from "../../harness/neon-clients.ts";
import { validateResponse } from "../../harness/openapi-validate.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function valid(operationId: string, r: { status: number; body: unknown }): void {
  assert.deepEqual(validateResponse(operationId, r.status, r.body), [], `${operationId}: ${JSON.stringify(r.body)}`);
}

describe("sandbox: Neon's rules, with neonctl", () => {
  const sandbox = useSandbox();
  const branches = async (): Promise<NeonBody[]> =>
    (await neonApi(sandbox(), "GET", ":project/branches")).body.branches;
  const byName = async (name: string): Promise<NeonBody> => (await branches()).find((b) => b.name === name);
  const mark = (uri: string, tag: string) =>
    queryUri(uri, `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', 'Rules', $1)`, [tag]);
  const marks = async (uri: string) =>
    (await queryUri(uri, `SELECT "recordId" FROM "AuditLog" WHERE "tableName" = 'Rules' ORDER BY "id"`)).map(
      (r) => r.recordId as string,
    );
  const opsIdle = async () => {
    for (let i = 0; i < 600; i++) {
      const ops = (await neonApi(sandbox(), "GET", ":project/operations?limit=20")).body.operations as NeonBody[];
      if (ops.every((o) => o.status === "finished" || o.status === "failed")) return;
      await sleep(100);
    }
  };

  test("a root branch restored from its own history: both stay roots; undone by restoring from the backup", async () => {
    const s = sandbox();
    const main = s.connectionUri()!;
    await mark(main, "m1");
    await sleep(1100);
    const t = new Date().toISOString();
    await sleep(1100);
    await mark(main, "m2");
    const r = await neonctl(s, [
      "branches",
      "restore",
      "main",
      `^self@${t}`,
      "--preserve-under-name",
      "main-old-1",
      "--project-id",
      s.projectId,
    ]);
    assert.equal(r.code, 0, r.stderr);
    await opsIdle();
    assert.deepEqual(await marks(main), ["m1"]);
    const restored = await byName("main");
    const backup = await byName("main-old-1");
    valid("getProjectBranch", await neonApi(s, "GET", `:project/branches/${backup.id}`));
    assert.equal(restored.parent_id, undefined, "a restored root stays a root");
    assert.equal(backup.parent_id, undefined, "and its backup is a root too");
    assert.ok(restored.last_reset_at);

    // A root has no parent to reset from: neonctl says so.
    const reset = await neonctl(s, ["branches", "reset", "main", "--parent", "--project-id", s.projectId]);
    assert.notEqual(reset.code, 0);
    assert.match(reset.stderr, /Branch has no parent/);

    // Undo: main restored from the backup's head. Its own pre-undo state is kept, and that backup is the original root.
    const undo = await neonctl(s, [
      "branches",
      "restore",
      "main",
      "main-old-1",
      "--preserve-under-name",
      "main-old-2",
      "--project-id",
      s.projectId,
    ]);
    assert.equal(undo.code, 0, undo.stderr);
    await opsIdle();
    assert.deepEqual(await marks(main), ["m1", "m2"]);
    const original = await byName("main-old-2");
    const refused = await neonApi(s, "DELETE", `:project/branches/${original.id}`);
    assert.equal(refused.status, 400);
    assert.match(
      refused.body.message,
      /cannot be deleted: it is the original root branch main, replaced by a restore from main-old-1/,
    );
    valid("deleteProjectBranch", refused);
  });

  test("a branch with a parent: the backup becomes its parent, and `neonctl branches reset --parent` undoes the restore", async () => {
    const s = sandbox();
    const dev = await createBranch(s, { name: "dev" });
    await mark(dev.uri, "d1");
    const before = await byName("dev");
    const r = await neonctl(s, [
      "branches",
      "restore",
      "dev",
      "main",
      "--preserve-under-name",
      "dev-old",
      "--project-id",
      s.projectId,
    ]);
    assert.equal(r.code, 0, r.stderr);
    await opsIdle();
    assert.deepEqual(await marks(dev.uri), ["m1", "m2"], "dev now holds main's head");
    const after = await byName("dev");
    const backup = await byName("dev-old");
    assert.equal(after.parent_id, backup.id, "the backup is dev's parent");
    assert.equal(backup.parent_id, s.defaultBranchId, "the backup keeps dev's old parent");
    assert.equal(backup.parent_lsn, before.parent_lsn, "and where dev was branched from it");
    assert.match(after.parent_lsn, /^[0-9A-F]+\/[0-9A-F]+$/);

    const reset = await neonctl(s, ["branches", "reset", "dev", "--parent", "--project-id", s.projectId]);
    assert.equal(reset.code, 0, reset.stderr);
    await opsIdle();
    assert.deepEqual(await marks(dev.uri), ["m1", "m2", "d1"], "reset from parent brought dev's own data back");

    // A child cannot be restored to a time: Neon's instant restore is for root branches.
    const pitr = await neonctl(s, [
      "branches",
      "restore",
      "dev",
      `^self@${new Date(Date.now() - 2000).toISOString()}`,
      "--preserve-under-name",
      "x",
      "--project-id",
      s.projectId,
    ]);
    assert.notEqual(pitr.code, 0);
    assert.match(pitr.stderr, /point-in-time restore is only supported for root branches/);
  });

  test("protected branches: not reset, not deleted, their children get a new password; unprotected, they go", async () => {
    const s = sandbox();
    const dev = await byName("dev");
    const on = await neonApi(s, "PATCH", `:project/branches/${dev.id}`, { branch: { protected: true } });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    valid("updateProjectBranch", on);
    assert.equal(on.body.branch.protected, true);
    assert.deepEqual(on.body.branch.restricted_actions, [
      { name: "delete-rw-endpoint", reason: "computes of a protected branch cannot be deleted" },
    ]);
    const reset = await neonctl(s, ["branches", "reset", "dev", "--parent", "--project-id", s.projectId]);
    assert.match(reset.stderr, /protected branches cannot be reset/);
    const del = await neonApi(s, "DELETE", `:project/branches/${dev.id}`);
    assert.equal(del.status, 400);
    assert.match(del.body.message, /is protected and cannot be deleted/);

    const child = await createBranch(s, { name: "dev-child", parent_id: dev.id });
    const mainPw = (
      await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}/roles/neondb_owner/reveal_password`)
    ).body.password;
    const childPw = (await neonApi(s, "GET", `:project/branches/${child.branch.id}/roles/neondb_owner/reveal_password`))
      .body.password;
    assert.notEqual(childPw, mainPw, "a branch of a protected branch gets its own role password");
    assert.equal(decodeURIComponent(new URL(child.uri).password), childPw);
    assert.deepEqual(await marks(child.uri), ["m1", "m2", "d1"]);
    const withOld = new URL(child.uri);
    withOld.password = encodeURIComponent(mainPw);
    await assert.rejects(queryUri(withOld.toString(), "SELECT 1"), /password authentication failed/);

    await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${child.branch.id}`)).body.operations);
    const off = await neonApi(s, "PATCH", `:project/branches/${dev.id}`, { branch: { protected: false } });
    assert.equal(off.body.branch.protected, false);
    assert.equal(off.body.branch.restricted_actions, undefined);
    const gone = await neonApi(s, "DELETE", `:project/branches/${dev.id}`);
    assert.equal(gone.status, 200, JSON.stringify(gone.body));
    await waitForOperations(s, gone.body.operations);
  });

  test("lists page with a cursor in their own ordering; neonctl lists projects and branches", async () => {
    const s = sandbox();
    const all = (await branches()).map((b) => b.name).sort();
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 20; i++) {
      const r = await neonApi(
        s,
        "GET",
        `:project/branches?limit=1&sort_by=name&sort_order=asc${cursor ? `&cursor=${cursor}` : ""}`,
      );
      valid("listProjectBranches", r);
      assert.deepEqual([r.body.pagination.sort_by, r.body.pagination.sort_order], ["name", "asc"]);
      seen.push(...r.body.branches.map((b: NeonBody) => b.name));
      if (!r.body.pagination.next) break;
      cursor = r.body.pagination.next;
    }
    assert.deepEqual(seen, all);
    const shared = await neonApi(s, "GET", "projects/shared");
    valid("listSharedProjects", shared);

    const projects = await neonctl(s, ["projects", "list"]);
    assert.equal(projects.code, 0, projects.stderr);
    assert.ok(projects.stdout.includes(s.projectId));
    const list = await neonctl(s, ["branches", "list", "--project-id", s.projectId]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual((JSON.parse(list.stdout) as NeonBody[]).map((b) => b.name).sort(), all);
  });
});

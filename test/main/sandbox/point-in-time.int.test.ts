// The sandbox's branches are real point-in-time recoveries: exact row sets at a time or LSN, the real neonctl CLI,
// an in-place restore that keeps the old state, and branches of the restored branch. One sandbox for the file.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createBranch, neonApi, queryUri, useSandbox, waitForOperations } from "../../harness/neon-sandbox.ts";
import { neonctl } from "../../harness/neon-clients.ts";
import { validateResponse } from "../../harness/openapi-validate.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Inserts a probe row and returns the server's clock inside the transaction (the commit follows within ms). */
async function probe(uri: string, tag: string, n: number): Promise<Date> {
  const [r] = await queryUri(
    uri,
    `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', $1, $2) RETURNING clock_timestamp() AS t`,
    [tag, String(n)],
  );
  return r.t as Date;
}

async function probes(uri: string, tag: string): Promise<number[]> {
  return (await queryUri(uri, `SELECT "recordId" FROM "AuditLog" WHERE "tableName" = $1 ORDER BY "id"`, [tag])).map(
    (r) => Number(r.recordId),
  );
}

const between = (a: Date, b: Date) => new Date((a.getTime() + b.getTime()) / 2).toISOString();

/**
 * An instant after every commit answered so far. Not `new Date()`: JavaScript's clock has milliseconds and commits
 * have microseconds, so a commit at 12:00:00.490085 answered within that millisecond reads as after "12:00:00.490",
 * and a recovery to that instant rightly leaves it out (recovery_target_time compares microseconds).
 */
const afterCommits = () => new Date(Date.now() + 1);

describe("sandbox point-in-time recovery", () => {
  const sandbox = useSandbox();
  const times: Date[] = [];
  let lsnAfterFirst = "";

  test("a branch at T holds exactly the rows committed before T and none after; so does a branch at an LSN", async () => {
    const s = sandbox();
    const main = s.connectionUri() as string;
    times.push(await probe(main, "Pitr", 1));
    lsnAfterFirst = (await queryUri(main, "SELECT pg_current_wal_insert_lsn()::text AS l"))[0].l;
    await sleep(1200);
    times.push(await probe(main, "Pitr", 2));
    await sleep(1200);
    times.push(await probe(main, "Pitr", 3));

    const atT1 = await createBranch(s, { name: "pitr-t1", parent_timestamp: between(times[0]!, times[1]!) });
    assert.deepEqual(await probes(atT1.uri, "Pitr"), [1]);
    const atT2 = await createBranch(s, { name: "pitr-t2", parent_timestamp: between(times[1]!, times[2]!) });
    assert.deepEqual(await probes(atT2.uri, "Pitr"), [1, 2]);
    const endpointOf = (uri: string) => new URL(uri).searchParams.get("options");
    assert.notEqual(endpointOf(atT1.uri), endpointOf(atT2.uri), "each branch has a compute of its own");
    assert.notEqual(
      (await queryUri(atT1.uri, "SELECT inet_server_port() AS p"))[0].p,
      (await queryUri(atT2.uri, "SELECT inet_server_port() AS p"))[0].p,
    );
    // The rest of the database came along whole.
    assert.deepEqual(await queryUri(atT2.uri, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [{ n: 423 }]);
    const byLsn = await createBranch(s, { name: "pitr-lsn", parent_lsn: lsnAfterFirst });
    assert.deepEqual(await probes(byLsn.uri, "Pitr"), [1]);
    const got = await neonApi(s, "GET", `:project/branches/${atT1.branch.id}`);
    assert.equal(got.body.branch.parent_id, s.defaultBranchId);
    assert.match(got.body.branch.parent_lsn, /^[0-9A-F]+\/[0-9A-F]+$/);
    assert.equal(got.body.branch.parent_timestamp, between(times[0]!, times[1]!));

    // A branch of a branch at a time after it was made: its own history, not its parent's.
    await probe(atT1.uri, "PitrChild", 1);
    const t = afterCommits();
    await sleep(50);
    await probe(atT1.uri, "PitrChild", 2);
    const child = await createBranch(s, {
      name: "pitr-child",
      parent_id: atT1.branch.id,
      parent_timestamp: t.toISOString(),
    });
    assert.deepEqual(await probes(child.uri, "Pitr"), [1]);
    assert.deepEqual(await probes(child.uri, "PitrChild"), [1]);
    for (const b of [child.branch, byLsn.branch, atT2.branch])
      await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${b.id}`)).body.operations);
  });

  test("the real neonctl lists the branches and creates a branch at a timestamp", async () => {
    const s = sandbox();
    const list = await neonctl(s, ["branches", "list", "--project-id", s.projectId]);
    assert.equal(list.code, 0, list.stderr);
    const names = (JSON.parse(list.stdout) as { name: string }[]).map((b) => b.name).sort();
    assert.deepEqual(names, ["main", "pitr-t1"]);

    const ts = between(times[1]!, times[2]!);
    const created = await neonctl(s, [
      "branches",
      "create",
      "--project-id",
      s.projectId,
      "--name",
      "recovery-neonctl",
      "--parent",
      ts,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const out = JSON.parse(created.stdout) as {
      branch: { id: string; parent_id: string; parent_timestamp: string };
      connection_uris: { connection_uri: string }[];
    };
    assert.equal(out.branch.parent_id, s.defaultBranchId, "a bare timestamp branches the default branch");
    assert.equal(out.branch.parent_timestamp, ts);
    const ops = await neonApi(s, "GET", ":project/operations?limit=10");
    await waitForOperations(
      s,
      ops.body.operations.filter((o: { branch_id: string }) => o.branch_id === out.branch.id),
    );
    assert.deepEqual(await probes(out.connection_uris[0]!.connection_uri, "Pitr"), [1, 2]);
    await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${out.branch.id}`)).body.operations);
  });

  test("an in-place restore replaces the branch's data; preserve_under_name keeps the old state, startable", async () => {
    const s = sandbox();
    const main = s.connectionUri() as string;
    await probe(main, "Restore", 1);
    const good = afterCommits();
    await sleep(50);
    await probe(main, "Restore", 2);

    const r = await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
      source_branch_id: s.defaultBranchId,
      source_timestamp: good.toISOString(),
      preserve_under_name: "main-before-restore",
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(validateResponse("restoreProjectBranch", 200, r.body), []);
    assert.deepEqual(
      r.body.operations.map((o: { action: string }) => o.action),
      ["suspend_compute", "create_timeline", "start_compute"],
    );
    await waitForOperations(s, r.body.operations);

    // Same branch id, same endpoint, same connection string: different data.
    assert.equal(s.connectionUri(), main);
    assert.deepEqual(await probes(main, "Restore"), [1]);
    assert.deepEqual(await probes(main, "Pitr"), [1, 2, 3]);
    const branches = (await neonApi(s, "GET", ":project/branches")).body.branches as {
      id: string;
      name: string;
      default: boolean;
      parent_id?: string;
    }[];
    const main2 = branches.find((b) => b.default);
    assert.equal(main2?.id, s.defaultBranchId);
    assert.ok((await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}`)).body.branch.last_reset_at);
    const preserved = branches.find((b) => b.name === "main-before-restore");
    assert.ok(preserved, "the old state is kept as a branch");
    // pitr-t1 was main's child: it moved to the preserved branch, which holds the history it came from.
    assert.equal(branches.find((b) => b.name === "pitr-t1")?.parent_id, preserved.id);

    // It has no compute until one is asked for.
    assert.deepEqual((await neonApi(s, "GET", `:project/branches/${preserved.id}/endpoints`)).body.endpoints, []);
    const ep = await neonApi(s, "POST", ":project/endpoints", {
      endpoint: { branch_id: preserved.id, type: "read_write" },
    });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    assert.deepEqual(validateResponse("createProjectEndpoint", 201, ep.body), []);
    await waitForOperations(s, ep.body.operations);
    const uri = (
      await neonApi(
        s,
        "GET",
        `:project/connection_uri?branch_id=${preserved.id}&database_name=neondb&role_name=neondb_owner`,
      )
    ).body.uri as string;
    assert.deepEqual(await probes(uri, "Restore"), [1, 2]);

    // The restored main keeps a history: new writes, then a branch at a time after the restore.
    await probe(main, "Restore", 3);
    const afterRestore = afterCommits();
    await sleep(50);
    await probe(main, "Restore", 4);
    const later = await createBranch(s, { name: "after-restore", parent_timestamp: afterRestore.toISOString() });
    assert.deepEqual(await probes(later.uri, "Restore"), [1, 3]);
    // And at a time before the restore its history is the one it was restored from.
    const before = await createBranch(s, { name: "before-restore", parent_timestamp: between(times[0]!, times[1]!) });
    assert.deepEqual(await probes(before.uri, "Pitr"), [1]);
    for (const b of [later.branch, before.branch])
      await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${b.id}`)).body.operations);
  });

  test("incidents: bulk delete, dropped column and lost compute, each recoverable at its last good second", async () => {
    const s = sandbox();
    const main = s.connectionUri() as string;
    const [{ n: notesBefore }] = await queryUri(main, `SELECT count(*)::int AS n FROM "ClinicalNote"`);

    const del = await s.stageIncident("bulk-delete");
    const deleted = (del.details.deletedIds as number[]).length;
    assert.equal(deleted, Math.round(notesBefore / 10));
    assert.deepEqual(await queryUri(main, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [
      { n: notesBefore - deleted },
    ]);
    const audit = await queryUri(
      main,
      `SELECT "recordId", "timestamp" FROM "AuditLog" WHERE "action" = 'DELETE' AND "tableName" = 'ClinicalNote' AND "timestamp" >= $1::timestamptz AT TIME ZONE 'UTC'`,
      [del.lastGoodSecond],
    );
    assert.equal(audit.length, deleted, "one audit row per deleted note, stamped after the last good second");
    assert.ok(new Date(del.lastGoodSecond).getTime() <= new Date(del.startedAt).getTime());
    const branch = await createBranch(s, { name: "recovery-bulk-delete", parent_timestamp: del.lastGoodSecond });
    assert.deepEqual(await queryUri(branch.uri, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [{ n: notesBefore }]);
    assert.deepEqual(
      await queryUri(branch.uri, `SELECT count(*)::int AS n FROM "ClinicalNote" WHERE "id" = ANY($1::int[])`, [
        del.details.deletedIds,
      ]),
      [{ n: deleted }],
    );
    await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${branch.branch.id}`)).body.operations);

    const drop = await s.stageIncident("drop-column");
    assert.equal(drop.details.column, "vitals");
    await assert.rejects(
      queryUri(main, `SELECT "vitals" FROM "ClinicalNote" LIMIT 1`),
      /column "vitals" does not exist/,
    );
    const before = await createBranch(s, { name: "recovery-drop-column", parent_timestamp: drop.lastGoodSecond });
    assert.deepEqual(await queryUri(before.uri, `SELECT count("vitals")::int AS n FROM "ClinicalNote"`), [
      { n: drop.details.rowsWithValues },
    ]);
    await waitForOperations(s, (await neonApi(s, "DELETE", `:project/branches/${before.branch.id}`)).body.operations);

    const loss = await s.stageIncident("db-loss");
    await assert.rejects(queryUri(main, "SELECT 1"), "the default branch's compute is unreachable");
    const ep = (await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}/endpoints`)).body.endpoints[0];
    assert.equal(ep.current_state, "idle");
    // Recovery: the default branch restored from its own history, to now; same connection string again.
    const r = await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
      source_branch_id: s.defaultBranchId,
      source_timestamp: new Date().toISOString(),
      preserve_under_name: "main-lost-compute",
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await waitForOperations(s, r.body.operations);
    assert.deepEqual(await queryUri(main, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [
      { n: notesBefore - deleted },
    ]);
    assert.ok(new Date(loss.lastGoodSecond).getTime() >= new Date(drop.startedAt).getTime());
    assert.deepEqual(
      s.incidents().map((i) => i.kind),
      ["bulk-delete", "drop-column", "db-loss"],
    );
  });

  test("a restore from another branch's head: the default branch takes that branch's data, and its lineage goes on", async () => {
    const s = sandbox();
    const source = (
      (await neonApi(s, "GET", ":project/branches")).body.branches as { id: string; name: string }[]
    ).find((b) => b.name === "pitr-t1");
    assert.ok(source);
    const r = await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
      source_branch_id: source.id,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await waitForOperations(s, r.body.operations);
    const main = s.connectionUri() as string;
    assert.deepEqual(await probes(main, "Pitr"), [1]);
    // pitr-t1's own writes came along (the branch of it at a time between them held only the first).
    assert.deepEqual(await probes(main, "PitrChild"), [1, 2]);
    await probe(main, "FromSource", 1);
    const head = await createBranch(s, { name: "head-after-source-restore" });
    assert.deepEqual(await probes(head.uri, "FromSource"), [1]);
    assert.deepEqual(await probes(head.uri, "PitrChild"), [1, 2]);
    // Without preserve_under_name the old state is gone: no new branch appeared.
    assert.ok(
      !((await neonApi(s, "GET", ":project/branches")).body.branches as { name: string }[]).some(
        (b) => /^main-/.test(b.name) && !["main-before-restore", "main-lost-compute"].includes(b.name),
      ),
    );
  });
});

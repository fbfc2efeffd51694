// The sandbox's Neon API against Neon's official OpenAPI spec: auth, errors, the read endpoints, the history window,
// operations and 423. One sandbox (real PostgreSQL) for the file.
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
import { validateResponse } from "../../harness/openapi-validate.ts";

function assertValid(operationId: string, r: { status: number; body: unknown }): void {
  assert.deepEqual(
    validateResponse(operationId, r.status, r.body),
    [],
    `${operationId} ${r.status}: ${JSON.stringify(r.body).slice(0, 400)}`,
  );
}

function assertNeonError(
  r: { status: number; body: NeonBody; headers: Headers },
  status: number,
  message: RegExp,
): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(typeof r.body.code, "string");
  assert.match(r.body.message, message);
  assert.ok(r.body.request_id, "an error carries a request_id");
  assert.equal(r.headers.get("x-neon-request-id"), r.body.request_id);
}

describe("sandbox Neon API", () => {
  const sandbox = useSandbox({ historyRetentionSeconds: 86_400 });

  test("every call needs the API key: 401 in Neon's error shape, with a request id", async () => {
    const s = sandbox();
    for (const key of [null, "wrong-key", `${s.apiKey}x`]) {
      const r = await neonApi(s, "GET", ":project", undefined, { apiKey: key });
      assertNeonError(r, 401, /API key is missing or not valid/);
      assertValid("getProject", r);
    }
    // A Basic header with the right key is still not a Bearer token.
    const basic = await fetch(`${s.apiUrl}/projects/${s.projectId}`, {
      headers: { Authorization: `Basic ${s.apiKey}`, "X-Request-ID": "my-request-1" },
    });
    const body = (await basic.json()) as { request_id: string };
    assert.equal(basic.status, 401);
    assert.equal(body.request_id, "my-request-1", "a caller's X-Request-ID is echoed, as Neon documents");
  });

  test("an unknown project is 404, an unknown path 404, a wrong method 405", async () => {
    const s = sandbox();
    const r = await neonApi(s, "GET", "projects/no-such-project-123");
    assertNeonError(r, 404, /project no-such-project-123 not found/);
    assertValid("getProject", r);
    const b = await neonApi(s, "GET", "projects/no-such-project-123/branches");
    assertNeonError(b, 404, /not found/);
    assertValid("listProjectBranches", b);
    assertNeonError(
      await neonApi(s, "GET", ":project/branches/br-no-such-branch-1"),
      404,
      /branch br-no-such-branch-1 not found/,
    );
    assertNeonError(await neonApi(s, "GET", ":project/nothing-here"), 404, /not found/);
    assertNeonError(await neonApi(s, "PUT", ":project/branches"), 405, /not allowed/);
  });

  test("the read endpoints answer in the spec's shapes, describing a real cluster", async () => {
    const s = sandbox();
    const project = await neonApi(s, "GET", ":project");
    assertValid("getProject", project);
    assert.equal(project.body.project.id, s.projectId);
    assert.equal(project.body.project.pg_version, s.pgVersion);
    const w = await s.historyWindow();
    // The setting, as Neon reports it; how much history exists is told by created_at (a project younger than its
    // window has less): the earliest restorable time is the later of the two.
    assert.equal(project.body.project.history_retention_seconds, 86_400);
    assert.ok(
      Math.abs(Date.parse(project.body.project.created_at) - w.earliest.getTime()) < 1500,
      "created_at is where the history begins",
    );
    assert.equal(project.body.project.owner.subscription_type, "launch_v3");

    const projects = await neonApi(s, "GET", "projects");
    assertValid("listProjects", projects);
    assert.deepEqual(
      projects.body.projects.map((p: { id: string }) => p.id),
      [s.projectId],
    );

    const branches = await neonApi(s, "GET", ":project/branches");
    assertValid("listProjectBranches", branches);
    const main = branches.body.branches.find((b: { default: boolean }) => b.default);
    assert.equal(main.name, "main");
    assert.equal(main.id, s.defaultBranchId);
    assert.equal(main.protected, false);
    assert.equal(main.current_state, "ready");

    const branch = await neonApi(s, "GET", `:project/branches/${main.id}`);
    assertValid("getProjectBranch", branch);
    assert.equal(branch.body.branch.id, main.id);

    const eps = await neonApi(s, "GET", `:project/branches/${main.id}/endpoints`);
    assertValid("listProjectBranchEndpoints", eps);
    assert.equal(eps.body.endpoints.length, 1);
    assert.equal(eps.body.endpoints[0].current_state, "active");
    assert.equal(eps.body.endpoints[0].type, "read_write");
    const all = await neonApi(s, "GET", ":project/endpoints");
    assertValid("listProjectEndpoints", all);
    const one = await neonApi(s, "GET", `:project/endpoints/${eps.body.endpoints[0].id}`);
    assertValid("getProjectEndpoint", one);

    const dbs = await neonApi(s, "GET", `:project/branches/${main.id}/databases`);
    assertValid("listProjectBranchDatabases", dbs);
    assert.deepEqual(
      dbs.body.databases.map((d: { name: string; owner_name: string }) => [d.name, d.owner_name]),
      [["neondb", "neondb_owner"]],
    );
    const roles = await neonApi(s, "GET", `:project/branches/${main.id}/roles`);
    assertValid("listProjectBranchRoles", roles);
    assert.deepEqual(
      roles.body.roles.map((r: { name: string }) => r.name),
      ["neondb_owner"],
    );
    const pw = await neonApi(s, "GET", `:project/branches/${main.id}/roles/neondb_owner/reveal_password`);
    assertValid("getProjectBranchRolePassword", pw);
    assert.equal(new URL(s.connectionUri() as string).password, encodeURIComponent(pw.body.password));
    assertNeonError(
      await neonApi(s, "GET", `:project/branches/${main.id}/roles/nobody/reveal_password`),
      404,
      /role nobody not found/,
    );

    const uri = await neonApi(
      s,
      "GET",
      `:project/connection_uri?branch_id=${main.id}&database_name=neondb&role_name=neondb_owner`,
    );
    assertValid("getConnectionURI", uri);
    assert.match(
      uri.body.uri,
      /^postgresql:\/\/neondb_owner:[^@]+@127\.0\.0\.1:\d+\/neondb\?sslmode=require&sslrootcert=[^&]+&options=endpoint%3Dep-[a-z0-9-]+$/,
    );
    const [row] = await queryUri(uri.body.uri, `SELECT count(*)::int AS n, current_user AS u FROM "Patient"`);
    assert.deepEqual(row, { n: 150, u: "neondb_owner" });
    // Without branch_id: the default branch; pooled=true names its pooler. Missing parameters: Neon's errors.
    assert.equal(
      (await neonApi(s, "GET", `:project/connection_uri?database_name=neondb&role_name=neondb_owner&pooled=true`)).body
        .uri,
      uri.body.uri.replace(/(endpoint%3Dep-[a-z0-9-]+)$/, "$1-pooler"),
    );
    const missing = await neonApi(s, "GET", ":project/connection_uri?database_name=neondb");
    assertNeonError(missing, 400, /role_name are required/);
    assertValid("getConnectionURI", missing);
    assertNeonError(
      await neonApi(s, "GET", `:project/connection_uri?database_name=nope&role_name=neondb_owner`),
      404,
      /database nope not found/,
    );
  });

  test("the history window is enforced: too old, in the future, unparsable, or both a time and an LSN", async () => {
    const s = sandbox();
    const w = await s.historyWindow();
    const create = (branch: Record<string, unknown>) =>
      neonApi(s, "POST", ":project/branches", { branch, endpoints: [{ type: "read_write" }] });

    const old = await create({
      name: "too-old",
      parent_timestamp: new Date(w.earliest.getTime() - 2000).toISOString(),
    });
    assertNeonError(
      old,
      400,
      /outside the project's history retention window: the earliest point that can be restored is/,
    );
    assertValid("createProjectBranch", old);
    const dayAgo = await create({ parent_timestamp: new Date(Date.now() - 86_400_000).toISOString() });
    assertNeonError(dayAgo, 400, /outside the project's history retention window/);
    const future = await create({ parent_timestamp: new Date(Date.now() + 60_000).toISOString() });
    assertNeonError(future, 400, /is in the future/);
    assertNeonError(await create({ parent_timestamp: "1 hour ago" }), 400, /must be an RFC 3339 timestamp/);
    assertNeonError(
      await create({ parent_timestamp: new Date().toISOString(), parent_lsn: "0/1" }),
      400,
      /cannot both be specified/,
    );
    assertNeonError(
      await create({ parent_lsn: "0/1" }),
      400,
      /parent_lsn 0\/1 is outside the project's history retention window/,
    );
    assertNeonError(await create({ parent_lsn: "FF/0" }), 400, /ahead of the branch's latest LSN/);
    assertNeonError(await create({ parent_lsn: "yesterday" }), 400, /must be an LSN/);
    const restore = await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
      source_branch_id: s.defaultBranchId,
      source_timestamp: new Date(Date.now() + 60_000).toISOString(),
      preserve_under_name: "x",
    });
    assertNeonError(restore, 400, /source_timestamp .* is in the future/);
    assertValid("restoreProjectBranch", restore);
    // Nothing was created by any of them.
    assert.equal((await neonApi(s, "GET", ":project/branches")).body.branches.length, 1);
  });

  test("refusals: a taken name is 409, the default branch is not deletable, an unknown branch deletes as 204", async () => {
    const s = sandbox();
    const taken = await neonApi(s, "POST", ":project/branches", { branch: { name: "main" } });
    assertNeonError(taken, 409, /^branch already exists; branch_name:"main"$/);
    assert.equal(taken.body.code, "BRANCH_ALREADY_EXISTS");
    assertValid("createProjectBranch", taken);
    const del = await neonApi(s, "DELETE", `:project/branches/${s.defaultBranchId}`);
    assertNeonError(del, 400, /default branch and cannot be deleted/);
    assertValid("deleteProjectBranch", del);
    const gone = await neonApi(s, "DELETE", ":project/branches/br-never-was-1");
    assert.equal(gone.status, 204);
    assertNeonError(
      await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
        source_branch_id: s.defaultBranchId,
        source_timestamp: new Date().toISOString(),
      }),
      400,
      /preserve_under_name is required/,
    );
    assertNeonError(
      await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
        source_branch_id: s.defaultBranchId,
        preserve_under_name: "old",
      }),
      400,
      /source_timestamp or source_lsn is required/,
    );
    assertNeonError(
      await neonApi(s, "POST", ":project/branches", { branch: { name: 7 } }),
      400,
      /invalid request body: branch.name/,
    );
  });

  test("operations go scheduling -> running -> finished; meanwhile mutating calls get 423 with Neon's message", async () => {
    const s = sandbox();
    s.setOperationDelay(2500);
    try {
      const created = await neonApi(s, "POST", ":project/branches", {
        branch: { name: "held" },
        endpoints: [{ type: "read_write" }],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assertValid("createProjectBranch", created);
      assert.deepEqual(
        created.body.operations.map((o: { action: string }) => o.action),
        ["create_timeline", "start_compute"],
      );
      assert.ok(created.body.operations.every((o: { status: string }) => o.status === "scheduling"));
      assert.equal(created.body.branch.current_state, "init");
      assert.equal(created.body.endpoints[0].current_state, "init");
      assert.match(created.body.connection_uris[0].connection_uri, /@127\.0\.0\.1:\d+\/neondb/);

      for (const call of [
        () => neonApi(s, "POST", ":project/branches", { branch: { name: "second" } }),
        () =>
          neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
            source_branch_id: s.defaultBranchId,
            source_timestamp: new Date().toISOString(),
            preserve_under_name: "p",
          }),
        () => neonApi(s, "DELETE", `:project/branches/${created.body.branch.id}`),
      ]) {
        const r = await call();
        assertNeonError(
          r,
          423,
          /^project already has running conflicting operations, scheduling of new ones is prohibited$/,
        );
        assertValid("createProjectBranch", r);
      }
      // Reads still work while operations run.
      assert.equal((await neonApi(s, "GET", ":project/branches")).status, 200);

      const seen = new Set<string>();
      const op = created.body.operations[0];
      for (let i = 0; i < 400; i++) {
        const r = await neonApi(s, "GET", `:project/operations/${op.id}`);
        assertValid("getProjectOperation", r);
        seen.add(r.body.operation.status);
        if (r.body.operation.status === "finished") break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.ok(seen.has("running") && seen.has("finished"), `statuses seen: ${[...seen].join(", ")}`);
      await waitForOperations(s, created.body.operations);
      const ops = await neonApi(s, "GET", ":project/operations?limit=1");
      assertValid("listProjectOperations", ops);
      assert.equal(ops.body.operations.length, 1);
      assert.ok(ops.body.pagination.cursor, "more operations than the limit: a cursor");
      const next = await neonApi(s, "GET", `:project/operations?limit=100&cursor=${ops.body.pagination.cursor}`);
      assertValid("listProjectOperations", next);
      assert.ok(
        !next.body.operations.some((o: { id: string }) =>
          ops.body.operations.some((p: { id: string }) => p.id === o.id),
        ),
      );
      const branch = await neonApi(s, "GET", `:project/branches/${created.body.branch.id}`);
      assert.equal(branch.body.branch.current_state, "ready");
      assert.match(branch.body.branch.parent_lsn, /^[0-9A-F]+\/[0-9A-F]+$/);

      s.setOperationDelay(0);
      const del = await neonApi(s, "DELETE", `:project/branches/${created.body.branch.id}`);
      assert.equal(del.status, 200, JSON.stringify(del.body));
      assertValid("deleteProjectBranch", del);
      assert.deepEqual(
        del.body.operations.map((o: { action: string }) => o.action),
        ["suspend_compute", "delete_timeline"],
      );
      await waitForOperations(s, del.body.operations);
      assert.equal((await neonApi(s, "GET", `:project/branches/${created.body.branch.id}`)).status, 404);
      const uri = created.body.connection_uris[0].connection_uri;
      await assert.rejects(queryUri(uri, "SELECT 1"), "the deleted branch's compute is gone");
    } finally {
      s.setOperationDelay(0);
    }
  });

  test("a branch at the head holds everything committed before the request", async () => {
    const s = sandbox();
    const mainUri = s.connectionUri() as string;
    await queryUri(
      mainUri,
      `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', 'HeadProbe', '1')`,
    );
    const { branch, uri } = await createBranch(s, { name: "head-copy" });
    assert.equal(branch.parent_id, s.defaultBranchId);
    const [r] = await queryUri(uri, `SELECT count(*)::int AS n FROM "AuditLog" WHERE "tableName" = 'HeadProbe'`);
    assert.equal(r.n, 1);
    // Writable: a promoted primary, not a standby.
    await queryUri(
      uri,
      `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', 'HeadProbe', '2')`,
    );
    const [m] = await queryUri(mainUri, `SELECT count(*)::int AS n FROM "AuditLog" WHERE "tableName" = 'HeadProbe'`);
    assert.equal(m.n, 1, "writes on the branch do not reach main");
  });
});

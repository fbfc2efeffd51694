// The sandbox's connection side as Neon's: one TLS port, endpoints named by host name (SNI) or options, SCRAM with
// channel binding, a real PgBouncer for -pooler, idle computes woken by a connection, a lost compute that cannot start.
// Checked with the clients people use: psql (libpq), node-postgres, and the strings the real neonctl prints.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pg from "pg";
import { neonApi, useSandbox, waitForOperations } from "../../../harness/neon-sandbox.ts";
import { neonctl, psql } from "../../../harness/neon-clients.ts";
import { validateResponse } from "../../../harness/openapi-validate.ts";
import { neonStatus } from "../../../../src/main/neon/neon-status.ts";
import { neonProfile, testContext } from "../../neon/neon-test-profile.ts";

async function nodePg<T>(uri: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: uri });
  c.on("error", () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

const pid = (c: pg.Client) => c.query("SELECT pg_backend_pid() AS p").then((r) => r.rows[0].p as number);

describe("sandbox connection proxy", () => {
  const sandbox = useSandbox();

  test("the API's connection strings connect as printed, direct and pooled, with psql and node-postgres", async () => {
    const s = sandbox();
    for (const uri of [s.connectionUri()!, s.connectionUri(undefined, { pooled: true })!]) {
      assert.match(uri, /^postgresql:\/\/neondb_owner:[^@]+@127\.0\.0\.1:\d+\/neondb\?sslmode=require&/);
      const r = await psql(uri, `SELECT count(*) FROM "Patient"`);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), "150");
      // node-postgres reads sslmode=require as verify-full: the sandbox's certificate is checked against 127.0.0.1.
      assert.equal(
        await nodePg(uri, (c) => c.query(`SELECT count(*)::int AS n FROM "Patient"`).then((x) => x.rows[0].n)),
        150,
      );
    }
  });

  test("the pooler is PgBouncer in transaction mode: pooled clients share a backend, direct ones never do", async () => {
    const s = sandbox();
    const pooled = s.connectionUri(undefined, { pooled: true })!;
    const direct = s.connectionUri()!;
    await nodePg(pooled, async (a) => {
      const first = await pid(a);
      // Between transactions the first client holds no server connection: the second one gets the same.
      assert.equal(await nodePg(pooled, pid), first);
    });
    await nodePg(direct, async (a) => assert.notEqual(await nodePg(direct, pid), await pid(a)));
  });

  test("neonctl's connection strings (ep-….localhost, channel_binding=require) connect with psql, direct and --pooled", async () => {
    const s = sandbox();
    const dns = { PGHOSTADDR: "127.0.0.1", PGPORT: String(s.proxyPort) };
    const direct = await neonctl(s, ["connection-string", "--project-id", s.projectId], false);
    const pooled = await neonctl(s, ["connection-string", "--project-id", s.projectId, "--pooled"], false);
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(pooled.code, 0, pooled.stderr);
    assert.match(direct.stdout.trim(), /@ep-[a-z0-9-]+\.localhost\/neondb\?sslmode=require&channel_binding=require$/);
    assert.match(
      pooled.stdout.trim(),
      /@ep-[a-z0-9-]+-pooler\.localhost\/neondb\?sslmode=require&channel_binding=require$/,
    );
    const pids = async (uri: string) => {
      const out: string[] = [];
      for (let i = 0; i < 2; i++) {
        const r = await psql(uri.trim(), "SELECT pg_backend_pid()", dns);
        assert.equal(r.code, 0, r.stderr);
        out.push(r.stdout.trim());
      }
      return out;
    };
    const [d1, d2] = await pids(direct.stdout);
    assert.notEqual(d1, d2, "direct: a backend per connection");
    const [p1, p2] = await pids(pooled.stdout);
    assert.equal(p1, p2, "pooled: PgBouncer keeps the server connection for the next client");
  });

  test("refusals in Neon's words: no endpoint named, SNI and option disagreeing, a wrong password, no TLS", async () => {
    const s = sandbox();
    const uri = new URL(s.connectionUri()!);
    const endpoint = uri.searchParams.get("options")!.replace("endpoint=", "");
    const without = new URL(uri);
    without.searchParams.delete("options");
    const none = await psql(without.toString(), "SELECT 1");
    assert.notEqual(none.code, 0);
    assert.match(
      none.stderr,
      /Endpoint ID is not specified\. Either please upgrade the postgres client library \(libpq\) for SNI support/,
    );

    const sni = `postgresql://neondb_owner:${uri.password}@ep-other-name-1.localhost:${uri.port}/neondb?sslmode=require&options=endpoint%3D${endpoint}`;
    const mixed = await psql(sni, "SELECT 1", { PGHOSTADDR: "127.0.0.1" });
    assert.match(mixed.stderr, /Inconsistent project name inferred from SNI \('ep-other-name-1'\) and project option/);

    const wrong = new URL(uri);
    wrong.password = "not-the-password";
    const bad = await psql(wrong.toString(), "SELECT 1");
    assert.match(bad.stderr, /password authentication failed for user "neondb_owner"/);

    const plain = new URL(uri);
    plain.searchParams.set("sslmode", "disable");
    plain.searchParams.delete("sslrootcert");
    const insecure = await psql(plain.toString(), "SELECT 1");
    assert.match(insecure.stderr, /connection is insecure \(try using `sslmode=require`\)/);
  });

  test("a suspended compute wakes when a client connects, with a start_compute operation", async () => {
    const s = sandbox();
    const ep = (await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}/endpoints`)).body.endpoints[0];
    const suspended = await neonApi(s, "POST", `:project/endpoints/${ep.id}/suspend`);
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    assert.deepEqual(validateResponse("suspendProjectEndpoint", 200, suspended.body), []);
    await waitForOperations(s, suspended.body.operations);
    const idle = await neonApi(s, "GET", `:project/endpoints/${ep.id}`);
    assert.deepEqual(validateResponse("getProjectEndpoint", 200, idle.body), []);
    assert.equal(idle.body.endpoint.current_state, "idle");

    const r = await psql(s.connectionUri()!, `SELECT count(*) FROM "Patient"`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "150");
    assert.equal((await neonApi(s, "GET", `:project/endpoints/${ep.id}`)).body.endpoint.current_state, "active");
    const ops = (await neonApi(s, "GET", ":project/operations?limit=5")).body.operations;
    assert.equal(ops[0].action, "start_compute");
    assert.equal(ops[0].endpoint_id, ep.id);
    assert.equal(ops[0].status, "finished");
  });

  test("a lost compute: a failed start_compute (Neon retrying it first), then 5xx, and a pending state that stays", async () => {
    const s = sandbox();
    const ep = (await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}/endpoints`)).body.endpoints[0];
    await s.stageIncident("db-loss");
    // Asked to start through the API: accepted, then start_compute fails after the attempts Neon retried.
    const started = await neonApi(s, "POST", `:project/endpoints/${ep.id}/start`);
    assert.equal(started.status, 200);
    assert.deepEqual(validateResponse("startProjectEndpoint", 200, started.body), []);
    await assert.rejects(
      waitForOperations(s, started.body.operations),
      /start_compute failed: compute .* failed to start/,
    );
    const op = (await neonApi(s, "GET", `:project/operations/${started.body.operations[0].id}`)).body.operation;
    assert.deepEqual([op.action, op.status, op.failures_count], ["start_compute", "failed", 3]);
    // A client connecting wakes it, as on Neon, and is told the compute did not start.
    const r = await psql(s.connectionUri()!, "SELECT 1");
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Couldn't connect to compute node: compute ep-[a-z0-9-]+ failed to start/);
    // Asked again: a server error in Neon's shape, at once, and no new operation.
    const opsBefore = (await neonApi(s, "GET", ":project/operations?limit=100")).body.operations.length;
    const again = await neonApi(s, "POST", `:project/endpoints/${ep.id}/start`);
    assert.equal(again.status, 500, JSON.stringify(again.body));
    assert.deepEqual(validateResponse("startProjectEndpoint", 500, again.body), []);
    assert.equal(again.body.code, "INTERNAL_ERROR");
    assert.match(again.body.message, /compute ep-[a-z0-9-]+ failed to start.*its last start_compute failed/);
    assert.ok(again.body.request_id);
    assert.equal((await neonApi(s, "GET", ":project/operations?limit=100")).body.operations.length, opsBefore);
    const after = (await neonApi(s, "GET", `:project/endpoints/${ep.id}`)).body.endpoint;
    assert.deepEqual([after.current_state, after.pending_state], ["idle", "active"], "stuck pending");
    // Which Lifeboat tells apart from an idle compute (scale to zero, normal on Neon).
    const ctx = await testContext({ SANDBOX_KEY: s.apiKey });
    try {
      const profile = neonProfile(s.apiUrl, { projectId: s.projectId, apiKey: "env:SANDBOX_KEY" });
      const status = await neonStatus(profile, {}, ctx);
      assert.ok(
        status.warnings.includes(
          `Compute ${ep.id} is idle and has not come up since it was asked to start: it may be lost.`,
        ),
        status.warnings.join("\n"),
      );
    } finally {
      await ctx.dispose();
    }

    // The way back, as on Neon: restore the branch (a new compute behind the same endpoint and connection string).
    const back = await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
      source_branch_id: s.defaultBranchId,
      source_timestamp: new Date().toISOString(),
      preserve_under_name: "main-lost-compute",
    });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    await waitForOperations(s, back.body.operations);
    const ok = await psql(s.connectionUri()!, `SELECT count(*) FROM "Patient"`);
    assert.equal(ok.stdout.trim(), "150", ok.stderr);
  });
});

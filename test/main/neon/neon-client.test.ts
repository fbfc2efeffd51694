// The client's boundary against a programmable HTTP server: what is repeated and what never is, what each failure
// becomes, how operations are awaited and lists paged. The same paths against the sandbox (real faults on a real
// project) are in test/main/cli/neon-faults.int.test.ts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { exitCodeFor } from "../../../src/shared/errors.ts";
import { openNeonProject } from "../../../src/main/neon/neon-client.ts";
import { API_KEY, neonProfile, testContext, type TestContext, failure } from "./neon-test-profile.ts";
import {
  branch,
  error,
  operation,
  project,
  startStubNeon,
  type StubHandler,
  type StubNeon,
  type StubReply,
} from "./stub-neon.ts";

let stub: StubNeon;
let ctx: TestContext;

before(async () => {
  stub = await startStubNeon(() => ({ status: 500 }));
  ctx = await testContext();
});
after(async () => {
  await stub.stop();
  await ctx.dispose();
});

function serve(h: StubHandler): void {
  stub.requests.length = 0;
  stub.handle = h;
}

/** Fails `times` times with `bad`, then answers `good`. */
function flaky(times: number, bad: StubReply | "hang" | "reset", good: StubReply): StubHandler {
  let n = 0;
  return () => (++n <= times ? bad : good);
}

const client = (opts = {}) =>
  openNeonProject(neonProfile(stub.url), ctx, { retry: { baseDelayMs: 20, maxDelayMs: 100 }, ...opts });
const ok = { status: 200, body: { project: project() } };
const created = {
  status: 201,
  body: { branch: branch("recovery-x"), endpoints: [], operations: [] },
};

describe("reads are repeated through blips", () => {
  for (const status of [423, 429, 500, 502, 503, 504]) {
    test(`GET answered ${status} twice, then success: three requests, one answer`, async () => {
      serve(flaky(2, error(status, "blip"), ok));
      const p = await (await client()).project();
      assert.equal(p.id, "quiet-lake-123456");
      assert.equal(stub.requests.length, 3);
    });
  }

  test("a connection reset, then success", async () => {
    serve(flaky(2, "reset", ok));
    await (await client()).project();
    assert.equal(stub.requests.length, 3);
  });

  test("a timeout, then success", async () => {
    serve(flaky(1, "hang", ok));
    await (await client({ requestTimeoutMs: 300 })).project();
    assert.equal(stub.requests.length, 2);
  });

  for (const status of [429, 503]) {
    test(`Retry-After is honoured on ${status}`, async () => {
      serve(flaky(1, { ...error(status, "slow down"), headers: { "retry-after": "1" } }, ok));
      const t0 = Date.now();
      await (await client()).project();
      assert.ok(Date.now() - t0 >= 950, `retried after ${Date.now() - t0} ms`);
    });
  }

  test("every retry is said on a note, with what happened", async () => {
    const notes: string[] = [];
    serve(flaky(1, "reset", ok));
    await (await client({ onNote: (t: string) => notes.push(t) })).project();
    assert.match(notes.join("\n"), /Neon did not answer \(the connection was reset\); retrying in \d/);
  });

  test("a 423 that never clears gives up within the bounded wait, with a clear message", async () => {
    serve(() => error(423, "project already has running conflicting operations, scheduling of new ones is prohibited"));
    const t0 = Date.now();
    const e = await failure((await client({ maxRetryWaitMs: 1500 })).project());
    const took = Date.now() - t0;
    assert.equal(e.code, "NEON_CONFLICT");
    assert.match(e.message, /a conflicting operation is still running after (1\.[4-9]|2\.\d) s/);
    assert.match(e.message, /request_id req-423-abc/);
    assert.ok(took >= 1400 && took < 4000, `took ${took} ms`);
  });

  test("a 502 that persists: the last answer, how long and how often", async () => {
    serve(() => ({ status: 502, body: "<html>bad gateway</html>" }));
    const e = await failure((await client({ maxRetryWaitMs: 400 })).project());
    assert.equal(e.code, "NEON_API");
    assert.equal(exitCodeFor(e.code), 4);
    assert.match(e.message, /kept failing \(HTTP 502\) for 0\.\d s .*bad gateway.* attempts\)/);
    const sent = stub.requests.at(-1)!.headers["x-request-id"];
    assert.ok(e.message.includes(`request_id ${sent}`), "names the request id of the last attempt");
  });

  test("nothing listening: unreachable, after retrying", async () => {
    const e = await failure(
      openNeonProject(neonProfile("http://127.0.0.1:1/api/v2"), ctx, {
        maxRetryWaitMs: 300,
        retry: { baseDelayMs: 20, maxDelayMs: 50 },
      }).then((c) => c.project()),
    );
    assert.equal(e.code, "NEON_UNREACHABLE");
    assert.match(e.message, /ECONNREFUSED.*attempts over/);
  });

  test("a timeout that persists is NEON_TIMEOUT", async () => {
    serve(() => "hang");
    const e = await failure((await client({ requestTimeoutMs: 200, maxRetryWaitMs: 500 })).project());
    assert.equal(e.code, "NEON_TIMEOUT");
    assert.match(e.message, /did not answer within 0\.2 s/);
  });
});

describe("changes are never repeated after a lost answer", () => {
  for (const bad of [
    error(500, "internal"),
    error(502, "bad gateway"),
    error(504, "gateway timeout"),
    "reset",
  ] as const) {
    const label = typeof bad === "string" ? bad : `HTTP ${bad.status}`;
    test(`POST answered with ${label}: one request, NEON_ANSWER_LOST`, async () => {
      serve(flaky(1, bad, created));
      const e = await failure((await client()).createBranch({ branch: { name: "recovery-x" } }));
      assert.equal(e.code, "NEON_ANSWER_LOST");
      assert.match(e.message, /answer to "create branch recovery-x" was lost .*Neon may or may not have done it/);
      assert.equal(stub.requests.length, 1, "a change is not sent twice");
    });
  }

  test("a POST that times out: one request, NEON_ANSWER_LOST", async () => {
    serve(flaky(1, "hang", created));
    const e = await failure((await client({ requestTimeoutMs: 300 })).createBranch({ branch: { name: "recovery-x" } }));
    assert.equal(e.code, "NEON_ANSWER_LOST");
    assert.match(e.message, /no answer within 0\.3 s/);
    assert.equal(stub.requests.length, 1);
  });

  for (const status of [423, 429, 503]) {
    test(`POST answered ${status} (nothing done): repeated`, async () => {
      serve(flaky(1, error(status, "not now"), created));
      await (await client()).createBranch({ branch: { name: "recovery-x" } });
      assert.equal(stub.requests.length, 2);
    });
  }
});

describe("error mapping", () => {
  test("401: the key was rejected, with the key's reference and the project-scoped key as the hint", async () => {
    serve(() => error(401, "authentication required"));
    const e = await failure((await client()).project());
    assert.equal(e.code, "NEON_AUTH");
    assert.match(e.message, /the Neon API key was rejected/);
    assert.match(e.hint ?? "", /env:TEST_NEON_KEY/);
    assert.match(e.hint ?? "", /project-scoped API key for project quiet-lake-123456/);
    assert.ok(!JSON.stringify(e.toInfo()).includes(API_KEY));
    assert.equal(stub.requests.length, 1);
  });

  test("403: the key does not reach the project; the hint names the least-privilege key", async () => {
    serve(() => error(403, "permission denied"));
    const e = await failure((await client()).project());
    assert.equal(e.code, "NEON_AUTH");
    assert.match(e.hint ?? "", /Project-scoped/);
  });

  test("the key travels only as the Bearer token", async () => {
    serve(() => ok);
    await (await client()).project();
    assert.equal(stub.requests[0]!.headers.authorization, `Bearer ${API_KEY}`);
  });

  test("404: unknown project, naming it and where to fix it", async () => {
    serve(() => error(404, "project not found"));
    const e = await failure((await client()).project());
    assert.equal(e.code, "NEON_NOT_FOUND");
    assert.match(e.message, /no project "quiet-lake-123456"/);
  });

  for (const status of [400, 422]) {
    test(`${status}: Neon's refusal is exit 8, not a connection error`, async () => {
      serve(() => error(status, "invalid branch name"));
      const e = await failure((await client()).createBranch({ branch: { name: "x" } }));
      assert.equal(e.code, "NEON_REJECTED");
      assert.equal(exitCodeFor(e.code), 8);
      assert.equal(stub.requests.length, 1);
    });
  }

  for (const message of [
    "parent_timestamp 2026-01-01T00:00:00Z is outside the project's history retention window",
    "requested timestamp is beyond the 1 GB history limit of the Free plan",
  ]) {
    test(`Neon's own window refusal is the window's exit code: "${message.slice(0, 40)}…"`, async () => {
      serve(() => error(400, message));
      const e = await failure((await client()).createBranch({ branch: { name: "x" } }));
      assert.equal(e.code, "NEON_OUTSIDE_WINDOW");
      assert.match(e.hint ?? "", /off-site backup/);
    });
  }

  test("409 branch already exists: NAME_TAKEN; database already exists: a refusal", async () => {
    serve(() => error(409, 'branch already exists; branch_name:"recovery-x"'));
    assert.equal(
      (await failure((await client()).createBranch({ branch: { name: "recovery-x" } }))).code,
      "NEON_NAME_TAKEN",
    );
    serve(() => error(409, "database already exists"));
    assert.equal(
      (await failure((await client()).createBranch({ branch: { name: "recovery-x" } }))).code,
      "NEON_REJECTED",
    );
  });
});

describe("operations", () => {
  const poll = (statuses: Array<Record<string, unknown>>): StubHandler => {
    let i = 0;
    return (r) => {
      if (!r.path.includes("/operations/")) return error(500, "unexpected");
      const s = statuses[Math.min(i++, statuses.length - 1)]!;
      return {
        status: 200,
        body: { operation: operation("create_timeline", s.status as string, { ...s, id: r.path.split("/").pop() }) },
      };
    };
  };

  test("an operation in status error is one Neon is retrying: Lifeboat keeps waiting", async () => {
    const notes: string[] = [];
    serve(
      poll([
        { status: "running" },
        { status: "error", failures_count: 1, retry_at: "2026-01-01T00:00:05Z", error: "pageserver busy" },
        { status: "running", failures_count: 1 },
        { status: "finished", failures_count: 1 },
      ]),
    );
    const c = await client({ pollIntervalMs: 10, onNote: (t: string) => notes.push(t) });
    const done = await c.waitForOperations([operation("create_timeline", "scheduling")] as never, "create branch x");
    assert.equal(done.length, 1);
    assert.match(
      notes.join("\n"),
      /create_timeline failed 1 time\(s\), last retried 2026-01-01T00:00:05Z, Neon is retrying \(pageserver busy\)/,
    );
  });

  for (const status of ["failed", "cancelled"]) {
    test(`an operation that ends ${status} is an error with Neon's message`, async () => {
      serve(poll([{ status, error: "timeline creation failed: LSN out of range", failures_count: 3 }]));
      const e = await failure(
        (await client({ pollIntervalMs: 10 })).waitForOperations(
          [operation("create_timeline", "running")] as never,
          "x",
        ),
      );
      assert.equal(e.code, "NEON_OPERATION_FAILED");
      assert.match(
        e.message,
        new RegExp(`ended ${status}: timeline creation failed: LSN out of range \\(after 3 failed attempts\\)`),
      );
    });
  }

  test("a poll answered 502, then the answer: the wait goes on", async () => {
    let n = 0;
    const base = poll([{ status: "finished" }]);
    serve((r) => (++n === 1 ? error(502, "bad gateway") : base(r)));
    const done = await (
      await client({ pollIntervalMs: 10 })
    ).waitForOperations([operation("create_timeline", "running")] as never, "x");
    assert.equal(done.length, 1);
  });

  test("polls that keep failing: the outcome is unknown, not failed", async () => {
    serve(() => "reset");
    const e = await failure(
      (await client({ pollIntervalMs: 10, maxRetryWaitMs: 300 })).waitForOperations(
        [operation("create_timeline", "running")] as never,
        "restore branch main",
      ),
    );
    assert.equal(e.code, "NEON_OUTCOME_UNKNOWN");
    assert.match(e.message, /Neon accepted "restore branch main" but Lifeboat lost sight of it/);
  });

  test("operations that never finish: the outcome is unknown at the limit", async () => {
    serve(poll([{ status: "running" }]));
    const e = await failure(
      (await client({ pollIntervalMs: 10, operationTimeoutMs: 200 })).waitForOperations(
        [operation("create_timeline", "running")] as never,
        "x",
      ),
    );
    assert.equal(e.code, "NEON_OUTCOME_UNKNOWN");
    assert.match(e.message, /still under way after 0\.[2-4] s/);
  });
});

describe("pagination", () => {
  test("branches: the cursor is followed with the ordering the answer reports, and nothing is counted twice", async () => {
    const all = ["a", "b", "c", "d", "e"].map((n) => branch(n));
    serve((r) => {
      const cursor = r.query.get("cursor");
      const at = cursor ? Number(cursor.slice(1)) : 0;
      // A branch that moved between pages shows up on two of them.
      const page = all.slice(Math.max(0, at - (at ? 1 : 0)), at + 2);
      const next = at + 2 < all.length ? { next: `c${at + 2}`, sort_by: "name", sort_order: "desc" } : {};
      return { status: 200, body: { branches: page, pagination: next } };
    });
    const got = await (await client({ branchPageSize: 2 })).branches();
    assert.deepEqual(got.map((b) => b.name).sort(), ["a", "b", "c", "d", "e"]);
    const pages = stub.requests.map((r) => Object.fromEntries(r.query));
    assert.equal(pages[0]!.limit, "2");
    assert.equal(pages[0]!.cursor, undefined);
    for (const p of pages.slice(1)) {
      assert.equal(p.sort_by, "name", "the cursor's own ordering");
      assert.equal(p.sort_order, "desc");
    }
    assert.equal(pages.length, 3);
  });
});

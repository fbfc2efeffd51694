import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { isLifeboatError, type LifeboatError } from "../../../src/shared/errors.ts";
import { openNeonProject } from "../../../src/main/neon/neon-client.ts";
import { API_KEY, neonProfile, testContext, type TestContext } from "./neon-test-profile.ts";
import { error, operation, project, startStubNeon, type StubHandler, type StubNeon } from "./stub-neon.ts";

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

async function failure(p: Promise<unknown>): Promise<LifeboatError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isLifeboatError(e), `not a LifeboatError: ${String(e)}`);
    return e;
  }
  assert.fail("expected a failure");
}

const client = (opts = {}) =>
  openNeonProject(neonProfile(stub.url), ctx, { retry: { baseDelayMs: 20, maxDelayMs: 100 }, ...opts });

describe("retries", () => {
  for (const status of [423, 429, 503]) {
    test(`${status} twice, then success: three requests, one answer`, async () => {
      let n = 0;
      serve(() => (++n <= 2 ? error(status, "busy") : { status: 200, body: { project: project() } }));
      const p = await (await client()).project();
      assert.equal(p.id, "quiet-lake-123456");
      assert.equal(stub.requests.length, 3);
    });
  }

  test("Retry-After is honoured", async () => {
    let n = 0;
    serve(() =>
      ++n === 1
        ? { ...error(429, "slow down"), headers: { "retry-after": "1" } }
        : { status: 200, body: { project: project() } },
    );
    const t0 = Date.now();
    await (await client()).project();
    assert.ok(Date.now() - t0 >= 950, `retried after ${Date.now() - t0} ms`);
  });

  test("a 423 that never clears gives up within the bounded wait, with a clear message", async () => {
    serve(() => error(423, "project already has running conflicting operations, scheduling of new ones is prohibited"));
    const t0 = Date.now();
    const e = await failure((await client({ maxRetryWaitMs: 1500 })).project());
    const took = Date.now() - t0;
    assert.equal(e.code, "NEON_CONFLICT");
    assert.match(e.message, /a conflicting operation is still running after (1\.[5-9]|2\.\d) s/);
    assert.match(e.message, /conflicting operations, scheduling of new ones is prohibited/);
    assert.match(e.message, /request_id req-423-abc/);
    assert.ok(took >= 1400 && took < 4000, `took ${took} ms`);
    assert.ok(stub.requests.length >= 3, `${stub.requests.length} attempts`);
  });

  test("429 that persists names the rate limit", async () => {
    serve(() => error(429, "rate limit exceeded"));
    const e = await failure((await client({ maxRetryWaitMs: 300 })).project());
    assert.equal(e.code, "NEON_API");
    assert.match(e.message, /rate-limiting/);
  });

  test("other errors are not retried", async () => {
    serve(() => error(500, "internal"));
    const e = await failure((await client()).project());
    assert.equal(e.code, "NEON_API");
    assert.equal(stub.requests.length, 1);
    assert.match(e.message, /internal \(HTTP 500, request_id req-500-abc\)/);
  });
});

describe("error mapping", () => {
  test("401: the key was rejected, with the key's reference as the hint", async () => {
    serve(() => error(401, "authentication required"));
    const e = await failure((await client()).project());
    assert.equal(e.code, "NEON_AUTH");
    assert.match(e.message, /the Neon API key was rejected/);
    assert.match(e.message, /request_id req-401-abc/);
    assert.match(e.hint ?? "", /env:TEST_NEON_KEY/);
    assert.ok(!JSON.stringify(e.toInfo()).includes(API_KEY));
    assert.equal(stub.requests.length, 1);
  });

  test("the key travels only as the Bearer token", async () => {
    serve(() => ({ status: 200, body: { project: project() } }));
    await (await client()).project();
    assert.equal(stub.requests[0]!.headers.authorization, `Bearer ${API_KEY}`);
  });

  test("404: unknown project, naming it and where to fix it", async () => {
    serve(() => error(404, "project not found"));
    const e = await failure((await client()).project());
    assert.equal(e.code, "NEON_NOT_FOUND");
    assert.match(e.message, /no project "quiet-lake-123456"/);
    assert.match(e.hint ?? "", /neon\.projectId/);
  });

  test("request_id: Neon's when given, else the X-Request-ID Lifeboat sent", async () => {
    serve(() => ({ status: 502, body: "<html>bad gateway</html>" }));
    const e = await failure((await client()).project());
    const sent = stub.requests[0]!.headers["x-request-id"];
    assert.ok(typeof sent === "string" && sent.length >= 32);
    assert.ok(e.message.includes(`request_id ${sent}`), e.message);
    assert.equal(e.details?.requestId, sent);
  });

  test("a network timeout: a stub that never answers", async () => {
    serve(() => "hang");
    const t0 = Date.now();
    const e = await failure((await client({ requestTimeoutMs: 300 })).project());
    assert.equal(e.code, "NEON_TIMEOUT");
    assert.match(e.message, /did not answer within 0\.3 s/);
    assert.ok(Date.now() - t0 < 3000);
  });

  test("nothing listening: unreachable", async () => {
    const e = await failure(
      openNeonProject(neonProfile("http://127.0.0.1:1/api/v2"), ctx, {}).then((c) => c.project()),
    );
    assert.equal(e.code, "NEON_UNREACHABLE");
    assert.match(e.message, /ECONNREFUSED/);
  });

  test("a branch name already taken", async () => {
    serve(() => error(409, "branch with name recovery-x already exists"));
    const e = await failure((await client()).createBranch({ branch: { name: "recovery-x" } }));
    assert.equal(e.code, "NEON_NAME_TAKEN");
    assert.match(e.message, /already exists/);
  });
});

describe("operations", () => {
  test("polled until finished", async () => {
    let polls = 0;
    serve((r) => {
      if (r.path.includes("/operations/"))
        return {
          status: 200,
          body: {
            operation: operation("create_branch", ++polls < 3 ? "running" : "finished", {
              id: r.path.split("/").pop(),
            }),
          },
        };
      return error(500, "unexpected");
    });
    const c = await client({ pollIntervalMs: 10 });
    const done = await c.waitForOperations(
      [operation("create_branch", "scheduling"), operation("start_compute", "finished")] as never,
      "create branch x",
    );
    assert.equal(done.length, 2);
    assert.equal(polls, 3);
  });

  test("a failed operation is an error with Neon's message", async () => {
    serve((r) => ({
      status: 200,
      body: {
        operation: operation("create_timeline", "failed", {
          id: r.path.split("/").pop(),
          error: "timeline creation failed: LSN out of range",
        }),
      },
    }));
    const e = await failure(
      (await client({ pollIntervalMs: 10 })).waitForOperations(
        [operation("create_timeline", "running")] as never,
        "create branch x",
      ),
    );
    assert.equal(e.code, "NEON_OPERATION_FAILED");
    assert.match(e.message, /create_timeline operation .* ended failed: timeline creation failed: LSN out of range/);
  });

  test("operations that never finish stop the wait at the limit", async () => {
    serve((r) => ({
      status: 200,
      body: { operation: operation("create_branch", "running", { id: r.path.split("/").pop() }) },
    }));
    const e = await failure(
      (await client({ pollIntervalMs: 10, operationTimeoutMs: 200 })).waitForOperations(
        [operation("create_branch", "running")] as never,
        "create branch x",
      ),
    );
    assert.equal(e.code, "NEON_TIMEOUT");
    assert.match(e.message, /still running after 0\.[2-4] s/);
  });
});

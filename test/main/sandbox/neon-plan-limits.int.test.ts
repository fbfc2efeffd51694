// A sandbox playing Neon's Free plan: a 6-hour window capped at 1 GB of history (a few MB here), no protected
// branches, three root branches. What Neon refuses, Lifeboat reports with the right exit code: a point the cap has
// taken is the window's (8, NEON_OUTSIDE_WINDOW) although Lifeboat's own check of the 6 h window passed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Profile } from "../../../src/shared/config.ts";
import { exitCodeFor } from "../../../src/shared/errors.ts";
import { neonStatus } from "../../../src/main/neon/neon-status.ts";
import { recoverTo } from "../../../src/main/neon/recover-to.ts";
import { restoreInPlace } from "../../../src/main/neon/restore-in-place.ts";
import { neonApi, queryUri, useSandbox } from "../../harness/neon-sandbox.ts";
import { validateResponse } from "../../harness/openapi-validate.ts";
import { failure, neonProfile, testContext, type TestContext } from "../neon/neon-test-profile.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sandbox on the Free plan", () => {
  const sandbox = useSandbox({ plan: "free", historyCapBytes: 4 * 1024 * 1024 });
  let ctx: TestContext;
  let profile: Profile;

  before(async () => {
    const s = sandbox();
    ctx = await testContext({ SANDBOX_KEY: s.apiKey });
    profile = neonProfile(s.apiUrl, { projectId: s.projectId, apiKey: "env:SANDBOX_KEY" });
  });
  after(async () => ctx?.dispose());

  test("the plan as Neon reports it, and what Lifeboat makes of it", async () => {
    const s = sandbox();
    const p = (await neonApi(s, "GET", ":project")).body.project;
    assert.equal(p.owner.subscription_type, "free_v3");
    assert.equal(p.history_retention_seconds, 6 * 3600);
    const status = await neonStatus(profile, {}, ctx);
    assert.equal(status.plan.name, "Free");
    assert.equal(status.requiredSeconds, 6 * 3600, "the default asks no more than the plan can keep");
    assert.equal(status.windowShort, false);
    assert.match(status.notes.join("\n"), /no more than 1 GB of history/);
    assert.match(
      status.window.requiredSource ?? "",
      /the most the Free plan \(owner\.subscription_type free_v3\) keeps/,
    );
  });

  test("no protected branches on the Free plan", async () => {
    const s = sandbox();
    const r = await neonApi(s, "PATCH", `:project/branches/${s.defaultBranchId}`, { branch: { protected: true } });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, "FEATURE_NOT_AVAILABLE");
    assert.deepEqual(validateResponse("updateProjectBranch", 403, r.body), []);
  });

  // Before the cap test: its filler pushes the start of history past "a second ago" for a while.
  test("three root branches: the third restore of main would make a fourth, and Neon says so", async () => {
    // "A second ago" must be inside the history, which starts when the project was made (created_at is to the second).
    const created = Date.parse((await neonApi(sandbox(), "GET", ":project")).body.project.created_at);
    await new Promise((r) => setTimeout(r, Math.max(0, created + 2500 - Date.now())));
    for (const name of ["main-old-a", "main-old-b"]) {
      await restoreInPlace(
        profile,
        { point: new Date(Date.now() - 1000).toISOString(), confirm: "main", preserveAs: name },
        ctx,
      );
    }
    const e = await failure(
      restoreInPlace(
        profile,
        { point: new Date(Date.now() - 1000).toISOString(), confirm: "main", preserveAs: "main-old-c" },
        ctx,
      ),
    );
    assert.equal(e.code, "NEON_REJECTED");
    assert.equal(exitCodeFor(e.code), 8);
    assert.match(e.message, /the Free plan allows 3 root branches/);
    assert.equal(e.details?.neonCode, "ROOT_BRANCHES_LIMIT_EXCEEDED");
  });

  test("history beyond the cap is gone: Neon refuses, and the exit code is the window's", async () => {
    const s = sandbox();
    const start = (await s.historyWindow()).earliest;
    await sleep(1500);
    const mid = new Date();
    await sleep(1500);
    await queryUri(
      s.connectionUri()!,
      "CREATE TABLE filler AS SELECT g, repeat(md5(g::text), 40) AS t FROM generate_series(1, 12000) g",
    );
    let w = await s.historyWindow();
    for (let i = 0; i < 150 && w.earliest.getTime() <= mid.getTime(); i++) {
      await sleep(200);
      w = await s.historyWindow();
    }
    assert.ok(
      w.earliest > mid,
      `the cap moved the start of history from ${start.toISOString()} past ${mid.toISOString()}`,
    );
    const e = await failure(recoverTo(profile, { point: mid.toISOString(), name: "recovery-capped" }, ctx));
    assert.equal(e.code, "NEON_OUTSIDE_WINDOW");
    assert.equal(exitCodeFor(e.code), 8);
    assert.match(e.message, /the Free plan keeps at most 1 GB of history/);
    assert.equal(e.details?.refusedBy, "neon");
    const journal = await ctx.journalText();
    assert.match(journal, /"kind":"neon.recover-to".*"outcome":"refused"/);
  });
});

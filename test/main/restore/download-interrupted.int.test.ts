// A download that breaks off (the connection drops mid-object) is a storage failure, said as such, on every path that
// reads a backup: verify, the streaming restore (before and after the age header has gone by) and the staged restore.
// None of them may hang waiting for bytes that will never come, blame the backup, or leave a database behind.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startLifeboatEnv, throughProxy, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { startCuttingProxy, type CuttingProxy } from "../../harness/cutting-proxy.ts";
import type { CliRun } from "../../harness/cli.ts";

let env: LifeboatEnv | undefined;
let proxy: CuttingProxy;
let skip: string | undefined;
let backupId: string;
let objectBytes: number;
const OBJECT = /\.age$/;

before(async () => {
  proxy = await startCuttingProxy();
  const e = await startLifeboatEnv({
    scale: 1,
    profile: throughProxy(proxy),
  });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  const r = await env.cli(["backup", "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  backupId = r.json!.value.id;
  objectBytes = r.json!.value.object.bytes;
  assert.ok(objectBytes > 200_000, `the object is large enough to cut in the middle (${objectBytes} bytes)`);
});
after(async () => {
  await env?.stop();
  await proxy?.stop();
});

async function databases(): Promise<string[]> {
  return (await env!.cluster.query("SELECT datname FROM pg_database ORDER BY 1")).rows.map((r) => r.datname as string);
}

function assertBrokeOff(r: CliRun, cutAt: number): void {
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.equal(r.json!.error!.code, "STORAGE_UNREACHABLE");
  assert.match(r.json!.error!.message, new RegExp(`broke off after \\d+ of ${objectBytes} bytes`));
  const got = Number(/after (\d+) of/.exec(r.json!.error!.message)![1]);
  assert.ok(got <= cutAt, `no more than the ${cutAt} bytes sent were counted (${got})`);
  assert.match(r.json!.error!.hint!, /says nothing about the backup itself/);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, "no stack trace");
}

describe("a download that breaks off", { timeout: 120_000 }, () => {
  test("verify fails as a storage failure, promptly, and passes once the connection holds", async (t) => {
    if (skip) return t.skip(skip);
    const cutAt = Math.floor(objectBytes / 2);
    proxy.cut(OBJECT, cutAt);
    const cutsBefore = proxy.cuts;
    const r = await env!.cli(["verify", backupId, "--json"]);
    proxy.disarm();
    assert.equal(proxy.cuts, cutsBefore + 1, "the download really was cut");
    assertBrokeOff(r, cutAt);
    const again = await env!.cli(["verify", backupId, "--json"]);
    assert.equal(again.code, 0, again.stdout);
  });

  test("a streaming restore into a new database: the target is never created and no staging database is left", async (t) => {
    if (skip) return t.skip(skip);
    for (const cutAt of [Math.floor(objectBytes / 2), 100]) {
      // In the middle, and before the age header (16 KiB peeked before anything is created) has gone by.
      proxy.cut(OBJECT, cutAt);
      const r = await env!.cli(["restore", backupId, "--target-db", "cut_stream", "--no-owner", "--json"]);
      proxy.disarm();
      assertBrokeOff(r, cutAt);
      const dbs = await databases();
      assert.ok(!dbs.includes("cut_stream"), `cut at ${cutAt}: the target name was never used`);
      assert.deepEqual(
        dbs.filter((d) => d.startsWith("lifeboat_restoring_")),
        [],
        `cut at ${cutAt}: no staging database left`,
      );
    }
  });

  test("a staged restore (parallel jobs) fails before the target is created", async (t) => {
    if (skip) return t.skip(skip);
    const cutAt = Math.floor(objectBytes / 3);
    proxy.cut(OBJECT, cutAt);
    const r = await env!.cli(["restore", backupId, "--target-db", "cut_staged", "--no-owner", "--jobs", "2", "--json"]);
    proxy.disarm();
    assertBrokeOff(r, cutAt);
    assert.ok(!(await databases()).includes("cut_staged"));
  });
});

// Real backups and restores (the CLI process, bin/lifeboat.js) through an S3 proxy that misbehaves by rule: 500 and
// 503 answers, reset connections, truncated bodies, a frozen store, and a write whose reply is lost. After each trial:
// the exit code is the documented one and the journal tells the same story (ok for 0, else the error whose exit code
// it is), no half object is listed as a backup, no multipart upload is left open, nothing is left in the process's
// TMPDIR (plaintext least of all), no database is left under the target's name or a staging name, the source is
// untouched (same row counts, no session left); and the same run without the fault succeeds.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { exitCodeFor, type ErrorCode } from "../../../src/shared/errors.ts";
import { throughProxy, BUCKET, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { startFaultProxy, type FaultProxy, type FaultRule } from "../../harness/fault-proxy.ts";
import { spawnCli } from "../../harness/spawned-cli.ts";
import {
  assertTmpClean,
  backupIds,
  lastRun,
  LIFEBOAT_SESSION,
  noSessions,
  restoreLeftovers,
  startTrialEnv,
  tableCounts,
} from "../../harness/trial-checks.ts";

const IDLE_SECONDS = 2;
const OBJECT = /\.age(\?|$)/;
const MANIFEST = /manifest\.json(\?|$)/;

let env: LifeboatEnv | undefined;
let proxy: FaultProxy;
let skip: string | undefined;
let source: Record<string, number>;
let backupId = "";

before(async () => {
  proxy = await startFaultProxy();
  const e = await startTrialEnv({ scale: 20, profile: throughProxy(proxy) });
  if ("skip" in e) return void (skip = e.skip);
  ({ env, source } = e);
  backupId = e.first.id;
  assert.ok(e.first.object.bytes > 8 * 1024 * 1024, "the object takes a multipart upload (two parts)");
});
after(async () => {
  await env?.stop();
  await proxy?.stop();
});

interface Trial {
  name: string;
  rules: FaultRule[];
  /** The exit code the README documents for what this fault is. */
  code: number;
  /** For failures: the error code reported (and journaled). */
  error?: ErrorCode;
  stderr?: RegExp;
  /** A frozen store must fail the run within this (LIFEBOAT_IDLE_TIMEOUT_SECONDS honoured; its default, 60 s, is not). */
  maxMs?: number;
}

const FROZEN_MS = 45_000;

/** Runs `args` in a real CLI process through the faults; checks the exit code, the journal and the temporary folder. */
async function runTrial(t: Trial, args: string[], kind: string): Promise<string> {
  proxy.set(...t.rules);
  const before = proxy.applied.length;
  let stderr: string;
  try {
    const run = await spawnCli(["--config", env!.configPath, "--no-progress", ...args], {
      ...env!.env,
      LIFEBOAT_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
    });
    const t0 = Date.now();
    const limit = setTimeout(() => run.kill("SIGKILL"), 120_000); // a hang is a failure, not a stuck suite
    const { code } = await run.exited;
    clearTimeout(limit);
    const ms = Date.now() - t0;
    if (t.maxMs) assert.ok(ms < t.maxMs, `it gave up on the frozen store after ${ms} ms, within ${t.maxMs} ms`);
    stderr = run.stderr();
    assert.ok(proxy.applied.length > before, `the fault was applied (${t.rules.map((r) => r.fault).join(", ")})`);
    assert.equal(code, t.code, run.stdout() + stderr);
    assert.doesNotMatch(stderr, /This is a bug|\n\s+at /, "no bug report, no stack trace");
    if (t.stderr) assert.match(stderr, t.stderr);
    await assertTmpClean(run);
  } finally {
    proxy.set();
  }
  const last = await lastRun(env!, kind);
  assert.deepEqual(last.open, [], "no record is left open");
  if (t.code === 0) {
    assert.equal(last.outcome, "ok", JSON.stringify(last.end));
  } else {
    assert.equal(last.outcome, "failed", JSON.stringify(last.end));
    const journaled = last.end!.details.error.code as ErrorCode;
    assert.equal(exitCodeFor(journaled), t.code, `the journal's ${journaled} is the exit code's error`);
    if (t.error) assert.equal(journaled, t.error);
  }
  await noSessions(env!.cluster, LIFEBOAT_SESSION, "a Lifeboat, pg_dump or pg_restore session");
  assert.deepEqual(await tableCounts(env!.cluster, "clinic"), source, "the source is untouched");
  return stderr;
}

describe("backups through a faulty store", { timeout: 600_000 }, () => {
  const trials: Trial[] = [
    { name: "500 on every upload of the object", rules: [{ fault: "500", method: "PUT", path: OBJECT }], code: 4 },
    {
      name: "one 503 (SlowDown) on a part, retried",
      rules: [{ fault: "503", method: "PUT", path: OBJECT, times: 1 }],
      code: 0,
    },
    {
      name: "connections reset on every part",
      rules: [{ fault: "reset", method: "PUT", path: OBJECT }],
      code: 4,
      error: "STORAGE_UNREACHABLE",
    },
    {
      name: "connections reset on completing the upload",
      rules: [{ fault: "reset", method: "POST", path: /uploadId=/ }],
      code: 4,
    },
    {
      name: "the store freezes on the manifest (the commit marker)",
      rules: [{ fault: "freeze", method: "PUT", path: MANIFEST }],
      code: 4,
      maxMs: FROZEN_MS,
      stderr: /whether backup \S+ committed is unknown|cannot reach S3/,
    },
    {
      name: "the manifest is stored but every reply is lost",
      rules: [{ fault: "lost", method: "PUT", path: MANIFEST }],
      code: 0,
    },
  ];
  for (const t of trials) {
    test(`${t.name}: exit ${t.code}, the journal agrees, nothing half-made is listed, the next run succeeds`, async (c) => {
      if (skip) return c.skip(skip);
      const before = await backupIds(env!);
      await runTrial(t, ["backup"], "backup.run");
      assert.deepEqual(await env!.s3.openUploads(BUCKET), [], "no multipart upload is left open");
      const after = await backupIds(env!);
      if (t.code === 0) {
        const added = after.filter((id) => !before.includes(id));
        assert.equal(added.length, 1, "the committed backup is listed");
        const verify = await env!.cli(["verify", added[0]!, "--json"]);
        assert.equal(verify.code, 0, `and it is whole: ${verify.stdout}`);
      } else {
        assert.deepEqual(after, before, "no backup was added: a half-made one is never listed");
      }
      const next = await env!.cli(["backup", "--json"]);
      assert.equal(next.code, 0, next.stdout + next.stderr);
    });
  }
});

describe("restores through a faulty store", { timeout: 600_000 }, () => {
  const trials: (Trial & { jobs: number })[] = [
    {
      name: "a truncated download (--jobs 2)",
      rules: [{ fault: "truncate", method: "GET", path: OBJECT }],
      code: 4,
      jobs: 2,
      error: "STORAGE_UNREACHABLE",
    },
    {
      name: "a truncated download (streamed)",
      rules: [{ fault: "truncate", method: "GET", path: OBJECT }],
      code: 4,
      jobs: 1,
      error: "STORAGE_UNREACHABLE",
    },
    { name: "503 on every download", rules: [{ fault: "503", method: "GET", path: OBJECT }], code: 4, jobs: 1 },
    {
      name: "connections reset on every download",
      rules: [{ fault: "reset", method: "GET", path: OBJECT }],
      code: 4,
      jobs: 2,
    },
    {
      name: "the store freezes on the download",
      rules: [{ fault: "freeze", method: "GET", path: OBJECT }],
      code: 4,
      jobs: 2,
      maxMs: FROZEN_MS,
    },
  ];
  let n = 0;
  for (const t of trials) {
    test(`${t.name}: exit ${t.code}, no database left, no plaintext, the next restore succeeds`, async (c) => {
      if (skip) return c.skip(skip);
      const target = `faulty_restore_${++n}`;
      const args = ["restore", backupId, "--target-db", target, "--jobs", String(t.jobs)];
      await runTrial(t, args, "restore.run");
      assert.deepEqual(await restoreLeftovers(env!.cluster, target), [], "no target, staging or replaced database");
      const next = await env!.cli(args);
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.deepEqual(await tableCounts(env!.cluster, target), source, "the next restore is whole");
      await env!.cluster.query(`DROP DATABASE "${target}"`);
    });
  }
});

describe("listing through a faulty store", { timeout: 120_000 }, () => {
  test("a truncated listing fails `backups` (exit 4) rather than showing part of the list", async (c) => {
    if (skip) return c.skip(skip);
    proxy.set({ fault: "truncate", method: "GET", path: /list-type=|prefix=/ });
    try {
      const r = await env!.cli(["backups", "--json"]);
      assert.ok(
        proxy.applied.some((a) => a.startsWith("truncate GET")),
        "the listing was truncated",
      );
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.equal(r.json!.ok, false);
    } finally {
      proxy.set();
    }
    assert.ok((await backupIds(env!)).includes(backupId), "and lists them all once the store answers whole");
  });
});

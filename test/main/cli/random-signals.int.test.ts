// The long fault-injection variant, outside CI: LIFEBOAT_FAULT_TRIALS=50 (or more) real backups and restores
// (bin/lifeboat.js; restores with --jobs 1 or 2) each hit by SIGINT, SIGTERM or SIGKILL at a random moment of its run
// (LIFEBOAT_FAULT_SEED makes the sequence repeatable; the seed is printed). After each trial: an exit code that says
// what happened (0 when the run was already over; 130/143 when stopped, with the record "cancelled" and nothing added,
// or "ok" and the result whole when the signal came after the work was done), no record left open, no upload left
// open, nothing left in the TMPDIR, no staging database, the source untouched; after a SIGKILL, `lifeboat doctor --fix`
// (run with the killed run's TMPDIR) cleans up what only it can. Then the same run without a signal succeeds.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { BUCKET, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { leftovers, spawnCli } from "../../harness/spawned-cli.ts";
import * as checks from "../../harness/trial-checks.ts";

const TRIALS = Number(process.env.LIFEBOAT_FAULT_TRIALS ?? 0);
const SEED = Number(process.env.LIFEBOAT_FAULT_SEED ?? Date.now() % 100_000);
const skipAll = TRIALS > 0 ? undefined : "the long variant runs with LIFEBOAT_FAULT_TRIALS=50 (or more), outside CI";

let env: LifeboatEnv | undefined;
let skip: string | undefined = skipAll;
let source: Record<string, number>;
let backupId = "";
const typicalMs = { backup: 0, restore: 0 };

// mulberry32: a small seeded generator, so a failing sequence can be run again.
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

before(async () => {
  if (skip) return;
  const e = await checks.startTrialEnv({ scale: 40 });
  if ("skip" in e) return void (skip = e.skip);
  ({ env, source } = e);
  backupId = e.first.id;
  let t0 = Date.now();
  const second = await env.cli(["backup"]);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  typicalMs.backup = Date.now() - t0;
  t0 = Date.now();
  const restored = await env.cli(["restore", backupId, "--target-db", "typical", "--jobs", "2"]);
  assert.equal(restored.code, 0, restored.stdout + restored.stderr);
  typicalMs.restore = Date.now() - t0;
  await env.cluster.query('DROP DATABASE "typical"');
  console.log(`# seed ${SEED}; a backup takes ${typicalMs.backup} ms, a restore ${typicalMs.restore} ms`);
});
after(async () => env?.stop());

const cli = (args: string[], tmp?: string) =>
  spawnCli(["--config", env!.configPath, "--no-progress", ...args], env!.env, tmp ? { tmp } : {});

test(`${TRIALS} real runs stopped by a random signal at a random moment`, { skip: skipAll }, async (t) => {
  if (skip) return t.skip(skip);
  for (let i = 1; i <= TRIALS; i++) {
    const op = random() < 0.6 ? "backup" : "restore";
    const signal = pick(["SIGINT", "SIGTERM", "SIGKILL"] as const);
    // Start-up (about a second) plus the run itself: moments before, during and just after the work.
    const delay = Math.floor(random() * (typicalMs[op] + 1500));
    const target = `random_${i}`;
    const args =
      op === "backup" ? ["backup"] : ["restore", backupId, "--target-db", target, "--jobs", pick(["1", "2"])];
    const what = `trial ${i} (seed ${SEED}): ${args.join(" ")}, ${signal} after ${delay} ms`;
    const before = await checks.backupIds(env!);
    const seqBefore = (await checks.lastRun(env!, `${op}.run`)).startSeq;
    const run = await cli(args);
    await new Promise((r) => setTimeout(r, delay));
    run.kill(signal);
    const { code, signal: by } = await run.exited;
    const out = run.stdout() + run.stderr();
    assert.doesNotMatch(out, /This is a bug|\n\s+at /, `${what}: no bug report`);

    if (by === "SIGKILL") {
      const doctor = await cli(["doctor", "--fix", "--yes"], run.tmp);
      assert.equal((await doctor.exited).code, 0, `${what}: doctor --fix: ${doctor.stdout()}${doctor.stderr()}`);
    } else if (!by) {
      const stopped = signal === "SIGINT" ? 130 : 143;
      assert.ok(code === 0 || code === stopped, `${what}: exit ${code}, expected 0 or ${stopped}\n${out}`);
    }
    const last = await checks.lastRun(env!, `${op}.run`);
    // A signal before the operation began (start-up, config) quits at once: nothing was started, nothing recorded.
    // Before Node has even loaded the CLI, the signal's default action ends the process: the same, said by the shell.
    const outcome = last.startSeq > seqBefore ? last.outcome : "never started";
    if (by && by !== "SIGKILL") assert.equal(outcome, "never started", `${what}: ended by ${by} after starting`);
    if (code === 0) assert.equal(outcome, "ok", `${what}: exit 0 and the journal says ${outcome}`);
    else if (by !== "SIGKILL")
      assert.ok(["cancelled", "ok", "never started"].includes(outcome!), `${what}: ${outcome}`);
    console.log(`# ${what}: ${by ? `killed by ${by}` : `exit ${code}`}, journal: ${outcome}`);
    assert.deepEqual(last.open, [], `${what}: no record left open`);
    const added = (await checks.backupIds(env!)).filter((id) => !before.includes(id));
    if (op === "backup") {
      assert.ok(added.length <= 1, what);
      assert.equal(added.length === 1, outcome === "ok", `${what}: listed exactly when the journal says ok`);
    } else {
      const exists = (await checks.restoreLeftovers(env!.cluster, target)).includes(target);
      // Killed between taking the target's name and journaling it, the record is closed by doctor as interrupted.
      if (by !== "SIGKILL" || !exists)
        assert.equal(exists, outcome === "ok", `${what}: the target exists exactly when the journal says ok`);
      if (exists) assert.deepEqual(await checks.tableCounts(env!.cluster, target), source, `${what}: and it is whole`);
    }
    assert.deepEqual(await env!.s3.openUploads(BUCKET), [], `${what}: no upload left open`);
    assert.deepEqual(await leftovers(run.tmp), [], `${what}: nothing left in its TMPDIR`);
    await run.cleanup();
    await checks.noSessions(env!.cluster, checks.LIFEBOAT_SESSION, `${what}: a Lifeboat session`);
    assert.deepEqual(
      (await checks.restoreLeftovers(env!.cluster, target)).filter((d) => d !== target),
      [],
      `${what}: no staging database`,
    );
    assert.deepEqual(await checks.tableCounts(env!.cluster, "clinic"), source, `${what}: the source is untouched`);

    const next = await env!.cli(op === "backup" ? ["backup"] : ["restore", backupId, "--target-db", `${target}_next`]);
    assert.equal(next.code, 0, `${what}: the next run: ${next.stdout}${next.stderr}`);
    for (const db of [target, `${target}_next`]) await env!.cluster.query(`DROP DATABASE IF EXISTS "${db}"`);
  }
});

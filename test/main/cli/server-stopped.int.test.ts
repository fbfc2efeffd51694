// The PostgreSQL server stopped (immediate shutdown, as a crash looks to a client) in the middle of a real CLI backup
// and of a real restore --jobs 2: exit 4 (the server went away), the journal says failed with the error whose exit code
// it is, nothing committed, no upload left open, nothing in the process's TMPDIR; once the server is back, nothing
// half-restored carries the target's name, the source holds what it held, and the same run succeeds.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { exitCodeFor, type ErrorCode } from "../../../src/shared/errors.ts";
import { BUCKET } from "../../harness/lifeboat-env.ts";
import { spawnCli } from "../../harness/spawned-cli.ts";
import * as checks from "../../harness/trial-checks.ts";

let trial: checks.TrialEnv | undefined;
let skip: string | undefined;

before(async () => {
  const e = await checks.startTrialEnv({ scale: 40 });
  if ("skip" in e) skip = e.skip;
  else trial = e;
});
after(async () => trial?.env.stop());

/** Runs `args`, stops the server once `busy` sessions are at work, starts it again once the run is over. */
async function stopServerDuring(args: string[], busy: string, kind: string): Promise<void> {
  const run = await spawnCli(["--config", trial!.env.configPath, "--no-progress", ...args], trial!.env.env);
  try {
    await run.waitUntil(async () => (await checks.sessions(trial!.env.cluster, busy)) > 0, `${busy} was at work`);
    await trial!.env.cluster.stop("immediate");
    const limit = setTimeout(() => run.kill("SIGKILL"), 120_000); // a hang is a failure, not a stuck suite
    const { code } = await run.exited;
    clearTimeout(limit);
    const out = run.stdout() + run.stderr();
    assert.equal(code, 4, out);
    assert.doesNotMatch(out, /This is a bug|\n\s+at /, "no bug report, no stack trace");
    await checks.assertTmpClean(run);
  } finally {
    await trial!.env.cluster.start();
  }
  const last = await checks.lastRun(trial!.env, kind);
  assert.equal(last.outcome, "failed", JSON.stringify(last.end));
  assert.equal(exitCodeFor(last.end!.details.error.code as ErrorCode), 4, "the journal's error is the exit code's");
  assert.deepEqual(last.open, []);
  assert.deepEqual(
    await checks.tableCounts(trial!.env.cluster, "clinic"),
    trial!.source,
    "the source holds what it held",
  );
}

test("the server stopped mid-dump: exit 4, nothing committed, no upload left, the next backup succeeds", async (t) => {
  if (skip) return t.skip(skip);
  const before = await checks.backupIds(trial!.env);
  await stopServerDuring(
    ["backup"],
    `${checks.LIFEBOAT_SESSION} AND datname = 'clinic' AND query LIKE 'COPY %'`,
    "backup.run",
  );
  assert.deepEqual(await checks.backupIds(trial!.env), before, "nothing was committed");
  assert.deepEqual(await trial!.env.s3.openUploads(BUCKET), [], "the multipart upload was aborted");
  const next = await trial!.env.cli(["backup"]);
  assert.equal(next.code, 0, next.stdout + next.stderr);
});

test("the server stopped mid-restore: exit 4, no database under the target's name, the next restore succeeds", async (t) => {
  if (skip) return t.skip(skip);
  const args = ["restore", trial!.first.id, "--target-db", "stopped_mid_restore", "--jobs", "2"];
  await stopServerDuring(args, `${checks.LIFEBOAT_SESSION} AND datname LIKE 'lifeboat\\_restoring\\_%'`, "restore.run");
  const left = await checks.restoreLeftovers(trial!.env.cluster, "stopped_mid_restore");
  assert.ok(!left.includes("stopped_mid_restore"), `nothing half-restored under the target's name: ${left.join(", ")}`);
  // The staging database could not be dropped while the server was down: doctor names it and drops it.
  if (left.length) {
    const doctor = await trial!.env.cli(["doctor", "--fix", "--yes"]);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.deepEqual(await checks.restoreLeftovers(trial!.env.cluster, "stopped_mid_restore"), []);
  }
  const next = await trial!.env.cli(args);
  assert.equal(next.code, 0, next.stdout + next.stderr);
  assert.deepEqual(await checks.tableCounts(trial!.env.cluster, "stopped_mid_restore"), trial!.source);
});

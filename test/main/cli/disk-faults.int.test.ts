// This machine's disks failing under real CLI runs (bin/lifeboat.js): a read-only journal, a full journal disk, a full
// temporary folder under restore --jobs 2, a full drive under a folder store. Each is a small tmpfs (mount needs root;
// without it a read-only journal is a chmod 0555 folder and the full disks are skipped, saying why). After each: the
// documented exit code naming the path, nothing started that could not be recorded, read-only commands still working,
// nothing half-made listed or left on disk (plaintext least of all), the source untouched; and once the disk is
// writable or has room again, the same run succeeds.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BUCKET, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { runCli } from "../../harness/cli.ts";
import { leftovers, spawnCli } from "../../harness/spawned-cli.ts";
import { mountTmpfs, tmpfsSkipReason, type Tmpfs } from "../../harness/tmpfs.ts";
import {
  assertTmpClean,
  backupIds,
  lastRun,
  restoreLeftovers,
  startTrialEnv,
  tableCounts,
} from "../../harness/trial-checks.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let source: Record<string, number>;
let backupId = "";
let objectBytes = 0;
const mounts: Tmpfs[] = [];
const noTmpfs = tmpfsSkipReason();

before(async () => {
  const e = await startTrialEnv({ scale: 5 });
  if ("skip" in e) return void (skip = e.skip);
  ({ env, source } = e);
  backupId = e.first.id;
  objectBytes = e.first.object.bytes;
  assert.ok(e.first.dumpBytes > objectBytes + 1024 * 1024, "the decrypted archive is larger than the object");
});
after(async () => {
  for (const m of mounts) await m.unmount();
  await env?.stop();
});

async function tmpfs(size: string): Promise<Tmpfs> {
  const m = await mountTmpfs(size);
  mounts.push(m);
  return m;
}

/** The real CLI with `extra` in its environment; its exit code, output, and whether its own TMPDIR was left clean. */
async function lifeboat(args: string[], extra: NodeJS.ProcessEnv = {}, tmp?: string) {
  const run = await spawnCli(
    ["--config", env!.configPath, "--no-progress", ...args],
    { ...env!.env, ...extra },
    { tmp },
  );
  const { code } = await run.exited;
  const out = run.stdout() + run.stderr();
  assert.doesNotMatch(out, /This is a bug|\n\s+at /, "no bug report, no stack trace");
  if (!tmp) await assertTmpClean(run);
  return { code, out };
}

describe("a journal that cannot be written", () => {
  test("read-only: a backup refuses to start (exit 10, naming the folder); read-only commands work", async (t) => {
    if (skip) return t.skip(skip);
    const disk = noTmpfs ? undefined : await tmpfs("16m");
    const dir = join(disk?.dir ?? env!.dir, "ro-journal");
    const journal = { LIFEBOAT_JOURNAL_DIR: dir };
    await mkdir(dir, { recursive: true });
    const first = await lifeboat(["backup"], journal);
    assert.equal(first.code, 0, first.out);
    if (disk) disk.remount("ro");
    else for (const f of [dir, ...(await readdir(dir)).map((n) => join(dir, n))]) await chmod(f, 0o555);
    try {
      const before = await backupIds(env!);
      const r = await lifeboat(["backup"], journal);
      assert.equal(r.code, 10, r.out);
      assert.ok(r.out.includes(dir), `the error names the journal folder: ${r.out}`);
      assert.match(r.out, disk ? /read-only/i : /not writable|permission/i);
      assert.deepEqual(await backupIds(env!), before, "no backup was made that the journal could not record");
      assert.deepEqual(await env!.s3.openUploads(BUCKET), [], "nothing was uploaded");
      for (const args of [["backups"], ["journal", "list"], ["journal", "verify"]]) {
        const ro = await runCli(["--config", env!.configPath, ...args], { env: { ...env!.env, ...journal } });
        assert.equal(ro.code, 0, `${args.join(" ")} works on a read-only journal: ${ro.stdout}${ro.stderr}`);
        if (args[1] === "verify") assert.match(ro.stdout, /journal intact.*\n.*verification is NOT recorded/s);
      }
    } finally {
      if (disk) disk.remount("rw");
      else for (const f of [dir, ...(await readdir(dir)).map((n) => join(dir, n))]) await chmod(f, 0o755);
    }
    const next = await lifeboat(["backup"], journal);
    assert.equal(next.code, 0, next.out);
    assert.equal((await lastRun(env!, "backup.run")).outcome, "ok");
  });

  test("full: a backup refuses to start (exit 10, naming the folder and the full disk); listing works", async (t) => {
    if (skip) return t.skip(skip);
    if (noTmpfs) return t.skip(noTmpfs);
    const disk = await tmpfs("1m");
    const journal = { LIFEBOAT_JOURNAL_DIR: join(disk.dir, "journal") };
    const listed = await runCli(["--config", env!.configPath, "journal", "list"], { env: { ...env!.env, ...journal } });
    assert.equal(listed.code, 0, listed.stdout + listed.stderr);
    await writeFile(join(disk.dir, "filler"), Buffer.alloc(1024 * 1024)).catch(() => undefined); // as full as it gets
    const before = await backupIds(env!);
    const r = await lifeboat(["backup"], journal);
    assert.equal(r.code, 10, r.out);
    assert.ok(r.out.includes(disk.dir), `the error names the journal folder: ${r.out}`);
    assert.match(r.out, /full|ENOSPC|no space/i);
    assert.deepEqual(await backupIds(env!), before, "no backup was made that the journal could not record");
    assert.deepEqual(await env!.s3.openUploads(BUCKET), []);
    const ro = await runCli(["--config", env!.configPath, "backups"], { env: { ...env!.env, ...journal } });
    assert.equal(ro.code, 0, ro.stdout + ro.stderr);
    disk.remount("size=16m");
    const next = await lifeboat(["backup"], journal);
    assert.equal(next.code, 0, next.out);
  });
});

describe("a full disk under the data", () => {
  // Too small for the encrypted object; then room for it but not for the decrypted archive pg_restore --jobs reads.
  const sizes = [
    { stage: "the encrypted download", size: () => "1m" },
    { stage: "the decrypted archive", size: () => `${Math.ceil(objectBytes / 1024) + 512}k` },
  ];
  for (const { stage, size } of sizes)
    test(`the temporary folder fills under restore --jobs 2 (${stage}): exit 10 naming it, nothing left, no database`, async (t) => {
      if (skip) return t.skip(skip);
      if (noTmpfs) return t.skip(noTmpfs);
      const disk = await tmpfs(size());
      const target = `full_tmp_${stage.split(" ")[1]}`;
      const r = await lifeboat(["restore", backupId, "--target-db", target, "--jobs", "2"], {}, disk.dir);
      assert.equal(r.code, 10, r.out);
      assert.ok(r.out.includes(disk.dir), `the error names the temporary folder: ${r.out}`);
      assert.match(r.out, /full/i);
      assert.deepEqual(await leftovers(disk.dir), [], "nothing is left on the full disk, plaintext least of all");
      assert.deepEqual(await restoreLeftovers(env!.cluster, target), []);
      const end = (await lastRun(env!, "restore.run")).end!;
      assert.equal(end.outcome, "failed");
      assert.equal(end.details.error.code, "LOCAL_DISK");
      assert.deepEqual(await tableCounts(env!.cluster, "clinic"), source, "the source is untouched");
      const next = await lifeboat(["restore", backupId, "--target-db", target, "--jobs", "2"]);
      assert.equal(next.code, 0, next.out);
      assert.deepEqual(await tableCounts(env!.cluster, target), source);
    });

  test("a folder store's drive fills: exit 4 naming it, no backup listed, no manifest on the drive", async (t) => {
    if (skip) return t.skip(skip);
    if (noTmpfs) return t.skip(noTmpfs);
    const disk = await tmpfs("1m");
    const local = { ...env!.profile, name: "local", storage: { kind: "folder" as const, path: disk.dir } };
    await writeFile(env!.configPath, JSON.stringify({ version: 1, profiles: [env!.profile, local] }), { mode: 0o600 });
    const r = await lifeboat(["backup", "-p", "local"]);
    assert.equal(r.code, 4, r.out);
    assert.ok(r.out.includes(disk.dir), `the error names the folder: ${r.out}`);
    assert.match(r.out, /is full/);
    assert.deepEqual(await backupIds(env!, "local"), [], "no backup is listed");
    const files = (await leftovers(disk.dir)).filter((l) => !l.path.endsWith("/"));
    assert.deepEqual(
      files.filter((f) => f.path.endsWith("manifest.json")),
      [],
      "no manifest: nothing committed",
    );
    assert.equal((await lastRun(env!, "backup.run")).outcome, "failed");
    assert.deepEqual(await tableCounts(env!.cluster, "clinic"), source, "the source is untouched");
    disk.remount("size=64m");
    const next = await lifeboat(["backup", "-p", "local"]);
    assert.equal(next.code, 0, next.out);
    assert.equal((await backupIds(env!, "local")).length, 1);
  });
});

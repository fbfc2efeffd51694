// `lifeboat doctor` finds every kind of leftover a killed run leaves (made here the way such runs leave them), changes
// nothing without a confirmation, and cleans up exactly what it found, journaling each cleanup; a backup whose end was
// never journaled is closed as ok from its manifest, anything else as failed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from "@aws-sdk/client-s3";
import { scanLeftovers } from "../../../src/main/doctor/doctor.ts";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { BUCKET, startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let tmp: string;
let committedId: string;

const s3 = () => env!.s3.client();

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  tmp = await mkdtemp(join(env.dir, "tmp-"));
  env.env.TMPDIR = tmp;
  const b = await env.cli(["backup", "--json"]);
  assert.equal(b.code, 0, b.stdout);
  committedId = b.json!.value.id;

  // What a backup killed mid-upload leaves: a multipart upload nobody completes or aborts.
  const key = "nightly/clinic/20260101T000000Z-dead/clinic.pgdump.zst.age";
  const up = await s3().send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  await s3().send(
    new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: up.UploadId, PartNumber: 1, Body: Buffer.alloc(1024) }),
  );
  // What a run killed between the upload and the manifest leaves: an object with no manifest.
  await s3().send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: "nightly/clinic/20260102T000000Z-dead/clinic.pgdump.zst.age",
      Body: "x",
    }),
  );
  // Journal records whose runs never recorded an end: the backup above (its journal disk filled after the commit) and
  // a restore that was killed.
  const journal = await openJournal({ dir: env.env.LIFEBOAT_JOURNAL_DIR! });
  await journal.append({
    kind: "backup.run",
    summary: "Backup of clinic (profile clinic)",
    profile: "clinic",
    outcome: "started",
    details: { id: committedId },
  });
  await journal.append({ kind: "restore.run", summary: "Restore into x", profile: "clinic", outcome: "started" });
  await journal.close();
  // A staging database a killed restore left, an empty lock file, a killed restore's private folder.
  await env.cluster.query("CREATE DATABASE lifeboat_restoring_0000dead00");
  await writeFile(join(env.env.LIFEBOAT_JOURNAL_DIR!, "journal.lock"), "");
  const dead = join(tmp, "lifeboat-restore-AbCdEf");
  await mkdir(dead);
  await writeFile(join(dead, "owner"), `4194999 ${(await import("node:os")).hostname()}\n`);
  await writeFile(join(dead, "object.age"), "age-encryption.org/v1…");
});
after(async () => env?.stop());

const kinds = (findings: { kind: string }[]) => findings.map((f) => f.kind).sort();

describe("doctor", () => {
  test("the scan finds each leftover and changes nothing", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["doctor", "--json"]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.json!.value.unchecked, []);
    assert.deepEqual(kinds(r.json!.value.findings), [
      "open-record",
      "open-record",
      "staging-database",
      "stale-lock",
      "temp-folder",
      "unfinished-upload",
    ]);
    const human = await env!.cli(["doctor"]);
    assert.match(human.stdout, /unfinished upload of clinic\/20260101T000000Z-dead/);
    assert.match(human.stdout, /lifeboat_restoring_0000dead00/);
    assert.ok((await readdir(tmp)).includes("lifeboat-restore-AbCdEf"), "nothing was removed");
  });

  test("an uncommitted backup object is found once it is old enough not to be a run writing its manifest", async (t) => {
    if (skip) return t.skip(skip);
    const profile = validateProfile(env!.profile);
    const deps = {
      profiles: [profile],
      ctx: { resolveSecret: (ref: string) => resolveSecret(ref, env!.env), env: env!.env, tmpDir: tmp },
      reader: (await import("../../../src/main/journal/journal.ts")).openJournalReader(env!.env.LIFEBOAT_JOURNAL_DIR),
      journal: () => openJournal({ dir: env!.env.LIFEBOAT_JOURNAL_DIR! }),
    };
    const now = await scanLeftovers({ ...deps, now: new Date() });
    assert.ok(!now.leftovers.some((l) => l.kind === "uncommitted-backup"), "a fresh one may be a run about to commit");
    const later = await scanLeftovers({ ...deps, now: new Date(Date.now() + 3600_000) });
    const found = later.leftovers.filter((l) => l.kind === "uncommitted-backup");
    assert.equal(found.length, 1);
    assert.match(found[0]!.what, /20260102T000000Z-dead .* never committed/);
  });

  test("--fix without a terminal and without --yes changes nothing (exit 8)", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["doctor", "--fix", "--json"]);
    assert.equal(r.code, 8, r.stdout);
    assert.equal(r.json!.error!.code, "CONFIRMATION_REQUIRED");
    assert.equal((await env!.cli(["doctor", "--json"])).json!.value.findings.length, 6);
  });

  test("--fix --yes cleans up each one, journals it, and closes the open records truthfully", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["doctor", "--fix", "--yes", "--json"]);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.json!.value.fixed.length, 6, JSON.stringify(r.json!.value));
    assert.deepEqual(r.json!.value.failed, []);
    assert.deepEqual((await env!.cli(["doctor", "--json"])).json!.value.findings, []);
    assert.deepEqual(await env!.s3.openUploads(BUCKET), []);
    assert.ok(!(await readdir(tmp)).includes("lifeboat-restore-AbCdEf"));

    const backups = await env!.cli(["journal", "list", "--kind", "backup.run", "--json"]);
    const closed = backups.json!.value.records.filter((x: any) => x.details.closedBy === "doctor");
    assert.equal(closed.length, 1);
    assert.equal(closed[0].outcome, "ok", "the backup committed: its manifest says so");
    assert.equal(closed[0].details.id, committedId);
    const restores = await env!.cli(["journal", "list", "--kind", "restore.run", "--json"]);
    assert.equal(restores.json!.value.records.at(-1).outcome, "failed");
    assert.equal(restores.json!.value.records.at(-1).details.error.code, "INTERRUPTED");
    const fixes = await env!.cli(["journal", "list", "--kind", "doctor.fix", "--json"]);
    assert.equal(fixes.json!.value.records.length, 6);
    assert.equal((await env!.cli(["journal", "verify", "--json"])).code, 0);
  });
});

// A failed run never leaves a restorable-looking backup: its multipart upload is aborted and no manifest is written,
// whether pg_dump dies mid-dump or the operator cancels.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { runBackup } from "../../../src/main/backup/run-backup.ts";
import { listBackups } from "../../../src/main/backup/backup-catalog.ts";
import { profileStore } from "../../../src/main/engine/profile-runtime.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { nullJournal } from "../../../src/main/journal/journal.ts";
import { findServerBinDir } from "../../../src/main/postgres/local-cluster.ts";
import { startLifeboatEnv, BUCKET, DB_PASSWORD, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import type { Profile } from "../../../src/shared/config.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;

before(async () => {
  const e = await startLifeboatEnv({ scale: 3 });
  if ("skip" in e) skip = e.skip;
  else env = e;
});
after(async () => env?.stop());

const ctx = () => ({ resolveSecret: (r: string) => resolveSecret(r, env!.env), journal: nullJournal(), env: env!.env });

async function assertNothingCommitted(profile: Profile): Promise<void> {
  const catalog = await listBackups(await profileStore(profile, ctx()), profile.name);
  assert.equal(catalog.backups.length, 0, "no manifest was written");
  assert.deepEqual(await env!.s3.openUploads(BUCKET), [], "the multipart upload was aborted");
}

describe("failed backups", () => {
  test("pg_dump dying mid-dump: the upload is aborted and no manifest is written", async (t) => {
    if (skip) return t.skip(skip);
    const real = await findServerBinDir();
    const fake = join(env!.dir, "fake-bin");
    await mkdir(fake);
    // A pg_dump that streams part of a real dump, then fails like a lost connection.
    await writeFile(
      join(fake, "pg_dump"),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then exec "${real}/pg_dump" --version; fi\necho "$@" > "${fake}/argv"\n[ -n "$PGPASSWORD" ] && echo set > "${fake}/pgpassword"\n"${real}/pg_dump" "$@" | head -c 300000\necho "pg_dump: error: connection to server lost (simulated)" >&2\nexit 1\n`,
    );
    await chmod(join(fake, "pg_dump"), 0o755);
    await symlink(join(real, "pg_restore"), join(fake, "pg_restore"));
    const profile = validateProfile({ ...env!.profile, tools: { pgBinDir: fake } });
    await assert.rejects(runBackup(profile, ctx()), (e: any) => {
      assert.equal(e.code, "BACKUP_FAILED");
      assert.match(e.message, /connection to server lost/);
      return true;
    });
    await assertNothingCommitted(profile);
    // The password reached pg_dump through its environment, never its argv (which `ps` shows to everyone).
    assert.equal((await readFile(join(fake, "pgpassword"), "utf8")).trim(), "set");
    const argv = await readFile(join(fake, "argv"), "utf8");
    assert.match(argv, /--snapshot=/);
    assert.ok(!argv.includes(DB_PASSWORD));
  });

  test("cancelling mid-upload aborts the multipart upload", async (t) => {
    if (skip) return t.skip(skip);
    const profile = validateProfile(env!.profile);
    const controller = new AbortController();
    let sawBytes = false;
    await assert.rejects(
      runBackup(profile, {
        ...ctx(),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.currentTable && !sawBytes) {
            sawBytes = true;
            controller.abort();
          }
        },
      }),
    );
    assert.ok(sawBytes, "the backup was under way when cancelled");
    await assertNothingCommitted(profile);
  });
});

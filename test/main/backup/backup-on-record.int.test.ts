// A backup started by hand (`lifeboat backup`, the console's button: channel backups.run) leaves its journal records in
// the store beside the backups, chain intact, as a scheduled run does; a copy that fails never undoes the backup.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runBackupOnRecord } from "../../../src/main/backup/backup-on-record.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { profileStore } from "../../../src/main/engine/profile-runtime.ts";
import { openJournal, openJournalReader } from "../../../src/main/journal/journal.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { verifyStoreJournal } from "../../../src/main/store-journal/verify-store-journal.ts";
import { startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

type Rec = { seq: number; kind: string; outcome: string; summary: string; details?: Record<string, unknown> };

async function all(dir: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for await (const l of openJournalReader(dir).lines()) out.push(JSON.parse(l.line) as Rec);
  return out;
}

let env: LifeboatEnv | undefined;
let skip: string | undefined;

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) skip = e.skip;
  else env = e;
});
after(async () => env?.stop());

describe("a backup started by hand, on the record off-site", () => {
  test("the journal copy fails: the backup still commits, and the journal says what was not copied", async (t) => {
    if (skip) return t.skip(skip);
    const profile = validateProfile(env!.profile);
    const journal = await openJournal({ dir: join(env!.dir, "journal-unreadable") });
    try {
      // The records cannot be read back (a reader that fails), so they cannot be copied.
      const broken = Object.assign(Object.create(journal), {
        append: journal.append.bind(journal),
        step: journal.step.bind(journal),
        lines: () => {
          throw new Error("the journal folder cannot be read (simulated)");
        },
      });
      const ctx = { resolveSecret: (r: string) => resolveSecret(r, env!.env), journal: broken, env: env!.env };
      const m = await runBackupOnRecord(profile, ctx);
      assert.match(m.id, /^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
      const records = await all(join(env!.dir, "journal-unreadable"));
      const offsite = records.find((r) => r.kind === "backup.journal-offsite");
      assert.ok(offsite, records.map((r) => r.kind).join());
      assert.equal(offsite.outcome, "failed");
      assert.match(
        offsite.summary,
        /were not copied to the store: .*the journal folder cannot be read.* They stay in this machine.s journal/,
      );
      assert.equal((offsite.details as { backupId?: string }).backupId, m.id);
    } finally {
      await journal.close();
    }
  });

  test("lifeboat backup: its records (started, ok) are in the store and verify there", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["backup", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const store = await profileStore(validateProfile(env!.profile), {
      resolveSecret: (x) => resolveSecret(x, env!.env),
    });
    const report = await verifyStoreJournal(store, env!.profile.name as string);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.ok(report.chunks >= 1 && report.records >= 2, JSON.stringify(report));
    const local = await all(join(env!.dir, "journal"));
    // The started record names the id too (chosen before the run, so a killed run can be matched to its leftovers).
    const run = local.filter(
      (x) => x.kind === "backup.run" && x.outcome === "ok" && (x.details as { id?: string })?.id === r.json!.value.id,
    );
    assert.equal(run.length, 1, "the ok record names the backup");
    const last = report.journals[0]!;
    assert.ok(last.lastSeq >= run[0]!.seq, "the store holds the record that names the backup");
  });
});

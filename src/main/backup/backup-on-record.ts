// A backup someone started (the CLI's `lifeboat backup`, the console's button) leaves its journal records beside the
// backups, as a scheduled run does: the audit trail survives the laptop. The records are copied byte for byte, each
// line with its hash and `prev`, so the chain verifies in the store (verify-store-journal.ts). A copy that fails never
// undoes the committed backup: it is journaled with what to do, and the next scheduled run's copy does not cover it.
import type { EngineContext } from "../engine/engine-context.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import { profileStore } from "../engine/profile-runtime.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { trackedJournal } from "../journal/tracked-journal.ts";
import { copyJournalRange } from "../store-journal/copy-journal-range.ts";
import type { Profile } from "../../shared/config.ts";
import { runBackup, type BackupRunResult } from "./run-backup.ts";

function readerOf(j: unknown): Pick<JournalReader, "lines"> | undefined {
  return j && typeof (j as JournalReader).lines === "function" ? (j as JournalReader) : undefined;
}

export async function runBackupOnRecord(profile: Profile, ctx: EngineContext): Promise<BackupRunResult> {
  const reader = readerOf(ctx.journal);
  if (!reader) return runBackup(profile, ctx);
  const journal = trackedJournal(ctx.journal);
  let result: BackupRunResult | undefined;
  try {
    result = await runBackup(profile, { ...ctx, journal });
    return result;
  } finally {
    // A failed backup's records go too: what failed, and why, is part of the trail.
    if (journal.firstSeq !== undefined && journal.lastSeq !== undefined) {
      try {
        await copyJournalRange(
          await profileStore(profile, ctx),
          profile.name,
          reader,
          journal.firstSeq,
          journal.lastSeq,
        );
      } catch (e) {
        const error = toErrorInfo(e);
        await ctx.journal
          .append({
            kind: "backup.journal-offsite",
            summary: `The journal records ${journal.firstSeq}–${journal.lastSeq} of this backup were not copied to the store: ${error.message}. They stay in this machine's journal (\`lifeboat journal export\` takes a copy).`,
            profile: profile.name,
            outcome: "failed",
            details: {
              firstSeq: journal.firstSeq,
              lastSeq: journal.lastSeq,
              ...(result ? { backupId: result.id } : {}),
              error: { code: error.code, message: error.message },
            },
          })
          .catch(() => undefined);
      }
    }
  }
}

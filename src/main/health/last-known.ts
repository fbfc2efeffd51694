// What this machine's journal last saw of a store, a database or Neon that cannot be reached now. In an outage the
// dashboard must say "unreachable; last known backup 16:06:12 (from this machine's journal)", never "no backups":
// unknown is not none. Only this machine's journal is read, so another machine's later backups are not in it; the
// console says where the answer comes from.
import type { LastKnown } from "../../shared/api/channels/dashboard-channels.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";

/** Kinds whose success proves the production database answered (the backup's pg_dump, forensics reading it). */
const DATABASE_KINDS = ["backup.run", "forensics."];
/** Kinds whose success proves Neon's API answered. */
const NEON_KINDS = ["neon.", "drill.neon"];

async function newestOk(journal: Pick<JournalReader, "query">, profile: string, kinds: string[]) {
  const found = await Promise.all(
    kinds.map(
      async (kind) => (await journal.query({ profile, kind, outcome: "ok", newest: true, limit: 1 })).records[0],
    ),
  );
  return found.filter((r): r is JournalRecord => !!r).sort((a, b) => b.seq - a.seq)[0];
}

const seen = (r: JournalRecord) => ({ at: r.ts, seq: r.seq, kind: r.kind, summary: r.summary });

export async function lastKnown(
  journal: Pick<JournalReader, "query">,
  profile: string,
  unreachable: { storage: boolean; database: boolean; neon: boolean },
): Promise<LastKnown> {
  const [backup, database, neon] = await Promise.all([
    unreachable.storage ? newestOk(journal, profile, ["backup.run"]) : undefined,
    unreachable.database ? newestOk(journal, profile, DATABASE_KINDS) : undefined,
    unreachable.neon ? newestOk(journal, profile, NEON_KINDS) : undefined,
  ]);
  const d = backup?.details ?? {};
  return {
    ...(backup
      ? {
          backup: {
            ...seen(backup),
            ...(typeof d.id === "string" ? { id: d.id } : {}),
            ...(typeof d.bytes === "number" ? { bytes: d.bytes } : {}),
          },
        }
      : {}),
    ...(database ? { database: seen(database) } : {}),
    ...(neon ? { neon: seen(neon) } : {}),
  };
}

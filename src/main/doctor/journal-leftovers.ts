// Journal records left "started" by runs that were killed (kill -9, a power cut, a second Ctrl-C) or whose end could
// not be written (a full journal disk). Closing one appends the missing end record, never edits the chain: for a
// backup, "ok" when its manifest is in the store (it committed), "failed" otherwise; for anything else "failed",
// saying that the outcome was never recorded.
import { MANIFEST_NAME, type BackupManifest } from "../../shared/manifest.ts";
import { parseManifest } from "../backup/backup-catalog.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import type { Journal, JournalReader } from "../journal/journal.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { clearRunning, runState } from "../journal/run-markers.ts";
import type { Leftover } from "./leftover.ts";

/** Records whose operation never got an end record. */
export async function openRecords(reader: JournalReader): Promise<JournalRecord[]> {
  const started = new Map<number, JournalRecord>();
  for await (const { line } of reader.lines()) {
    // JSON escapes quotes inside strings, so these only match the record's own top-level fields.
    if (line.includes('"outcome":"started"')) {
      const r = JSON.parse(line) as JournalRecord;
      started.set(r.seq, r);
      continue;
    }
    const m = /"startSeq":(\d+)/.exec(line);
    if (m) started.delete(Number(m[1]));
  }
  return [...started.values()];
}

export interface JournalLeftoverDeps {
  reader: JournalReader;
  journal: () => Promise<Journal>;
  storeFor: (profile: string) => Promise<BackupStore | undefined>;
}

const INTERRUPTED =
  "the run ended without recording an outcome (it was killed, the machine stopped, or its journal could not be written); closed by lifeboat doctor";

export async function journalLeftovers(d: JournalLeftoverDeps): Promise<Leftover[]> {
  return (await openRecords(d.reader)).map((r) => {
    // Its run is still going (another terminal, the console): its record is open for good reason.
    const busy = runState(d.reader.dir, r.seq) === "running";
    return {
      id: `open-record:${r.seq}`,
      kind: "open-record" as const,
      ...(r.profile ? { profile: r.profile } : {}),
      what: `journal record #${r.seq} (${r.kind}, ${r.ts}, ${r.actor.user}@${r.actor.host}) says "started" and nothing recorded how it ended: ${r.summary}`,
      fix: busy
        ? "none: the run is still going (its process is alive); run doctor again when it has finished"
        : r.kind === "backup.run"
          ? "close it with an end record: ok if the backup's manifest is in the store, failed otherwise"
          : "close it with an end record saying the outcome was never recorded",
      repair: async () => {
        if (runState(d.reader.dir, r.seq) === "running") throw new Error("its run is still going");
        return close(r, d);
      },
    };
  });
}

async function close(r: JournalRecord, d: JournalLeftoverDeps): Promise<string> {
  const journal = await d.journal();
  clearRunning(d.reader.dir, r.seq);
  const base = { kind: r.kind, summary: r.summary, ...(r.profile ? { profile: r.profile } : {}) };
  const details = { ...r.details, startSeq: r.seq, closedBy: "doctor" };
  const id = typeof r.details.id === "string" ? r.details.id : undefined;
  if (r.kind === "backup.run" && id && r.profile) {
    const m = await committed(d, r.profile, id);
    if (m) {
      await journal.append({
        ...base,
        outcome: "ok",
        details: {
          ...details,
          objectKey: m.object.key,
          bytes: m.object.bytes,
          sha256: m.object.sha256,
          tables: m.tables.length,
          rows: m.tables.reduce((a, t) => a + t.rows, 0),
          recoveredFrom: "the manifest in the store",
        },
      });
      return `closed record #${r.seq} as ok: backup ${id} is committed (its manifest is in the store)`;
    }
  }
  await journal.append({
    ...base,
    outcome: "failed",
    details: { ...details, error: { code: "INTERRUPTED", message: INTERRUPTED } },
  });
  return `closed record #${r.seq} as failed (outcome never recorded)`;
}

/** The backup's manifest, if it committed; throws when the store cannot say (then the record is left open). */
async function committed(d: JournalLeftoverDeps, profile: string, id: string): Promise<BackupManifest | undefined> {
  const store = await d.storeFor(profile);
  if (!store)
    throw new Error(`profile "${profile}" is not configured here: whether backup ${id} committed cannot be checked`);
  const key = `${profile}/${id}/${MANIFEST_NAME}`;
  if (!(await store.head(key))) return undefined;
  return parseManifest(await store.getSmall(key), key);
}

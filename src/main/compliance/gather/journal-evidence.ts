// The journal records a compliance report considers, read by kind through the journal's index (a million-record
// journal answers in milliseconds) and kept as the exact lines on disk, so the report's JSON can be checked with the
// journal's own rules. Records a scheduled run copied into the store (another machine's journal) are read from there.
import type { BundledJournal } from "../../../shared/compliance/evidence-bundle.ts";
import { checkLine } from "../../journal/canonical.ts";
import type { JournalQuery, JournalReader } from "../../journal/journal-reader.ts";
import type { JournalOutcome as Outcome } from "../../../shared/api/journal-schemas.ts";
import type { BackupStore } from "../../storage/backup-store.ts";
import { journalIdOf } from "../../store-journal/copy-journal-range.ts";
import { CHUNK_NAME, stateKeys } from "../../store-journal/state-keys.ts";
import { ATTEST_KIND, RUNBOOK_EXPORT_KIND, TRAINING_KIND } from "../../../shared/compliance/evidence-kinds.ts";

/** What each control reads, in the period (plus a lookback, for the backup before it). */
export const PERIOD_KINDS: { kind: string; outcome?: Outcome }[] = [
  { kind: "backup.run", outcome: "ok" },
  { kind: "schedule.run", outcome: "ok" },
  { kind: "verify.deep" },
  { kind: "drill.restore" },
  { kind: "drill.neon" },
  { kind: "replica.copy", outcome: "ok" },
  { kind: "prune.delete", outcome: "ok" },
  { kind: "protection.drill" },
  { kind: ATTEST_KIND },
  { kind: TRAINING_KIND },
];
/** Read whatever their age: documentation stays current until the runbook changes. */
export const ALL_TIME_KINDS: { kind: string; outcome?: Outcome }[] = [{ kind: RUNBOOK_EXPORT_KIND, outcome: "ok" }];

/** A practice journal is read for its training records only. */
export const TRAINING_ONLY: { kind: string; outcome?: Outcome }[] = [{ kind: TRAINING_KIND }];

export const LOOKBACK_MS = 35 * 86_400_000;

export interface JournalScope {
  fromMs: number;
  toMs: number;
  /** Records of these profiles, and records of no profile (runbook exports, attestations, training). */
  profiles: Set<string>;
}

const STARTED = /"outcome":"started"/;
const PROFILE =
  /^\{"v":1,"seq":\d+,"ts":"[^"]*","actor":\{"user":"(?:[^"\\]|\\.)*","host":"(?:[^"\\]|\\.)*"\},"profile":"([^"]*)"/;

function wanted(line: string, scope: JournalScope, practice: boolean): boolean {
  if (STARTED.test(line)) return false;
  const p = PROFILE.exec(line)?.[1];
  // A practice journal's records are about the sandbox's profile: training counts whatever profile it practised on.
  return p === undefined || practice || scope.profiles.has(p);
}

/** Reads the cited kinds from one journal; the journal is named by its genesis hash, as in the store's chunks. */
export async function journalEvidence(
  reader: JournalReader,
  source: string,
  scope: JournalScope,
  opts: { practice?: boolean; kinds?: { kind: string; outcome?: Outcome }[] } = {},
): Promise<BundledJournal | undefined> {
  const tip = await reader.tip();
  if (!tip.seq) return undefined;
  const journalId = await journalIdOf(reader);
  const byseq = new Map<number, string>();
  const read = async (q: JournalQuery) => {
    for await (const chunk of reader.lineChunks(q))
      for (const { seq, line } of chunk) if (wanted(line, scope, !!opts.practice)) byseq.set(seq, line);
  };
  const until = new Date(scope.toMs);
  for (const k of opts.kinds ?? PERIOD_KINDS)
    await read({
      kind: k.kind,
      ...(k.outcome ? { outcome: k.outcome } : {}),
      since: new Date(scope.fromMs - LOOKBACK_MS),
      until,
    });
  if (!opts.kinds)
    for (const k of ALL_TIME_KINDS) await read({ kind: k.kind, ...(k.outcome ? { outcome: k.outcome } : {}), until });
  return {
    journalId,
    source,
    tip,
    lines: [...byseq.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l),
  };
}

const KINDS = new Set([...PERIOD_KINDS, ...ALL_TIME_KINDS].map((k) => k.kind));

/**
 * Records of other machines' journals that scheduled runs copied into a profile's store: read only for journals this
 * machine's journal is not (its own records are read locally). Lines that do not check out are left out here and
 * named by `report verify` if they were ever cited.
 */
export async function storeJournalEvidence(
  store: BackupStore,
  profile: string,
  localJournalId: string | undefined,
  scope: JournalScope,
): Promise<BundledJournal[]> {
  const chunks = (await store.list(stateKeys.journalDir(profile)))
    .map((o) => ({ key: o.key, m: CHUNK_NAME.exec(o.key) }))
    .filter((c) => c.m && c.m[1] !== localJournalId);
  const byJournal = new Map<string, Map<number, string>>();
  for (const c of chunks) {
    const text = (await store.getSmall(c.key)).toString("utf8");
    for (const line of text.split("\n")) {
      if (!line) continue;
      const checked = checkLine(line);
      if (!checked.ok) continue;
      const r = checked.record;
      const t = Date.parse(r.ts);
      if (!KINDS.has(r.kind) || r.outcome === "started" || t > scope.toMs || t < scope.fromMs - LOOKBACK_MS) continue;
      if (r.profile !== undefined && r.profile !== profile) continue;
      const m = byJournal.get(c.m![1]!) ?? new Map<number, string>();
      m.set(r.seq, line);
      byJournal.set(c.m![1]!, m);
    }
  }
  return [...byJournal.entries()].map(([journalId, lines]) => ({
    journalId,
    source: `store:${profile}`,
    lines: [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l),
  }));
}

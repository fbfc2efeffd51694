// Gathers a compliance report's evidence: this machine's journal, the practice journals, and for each profile its
// store (objects classified, manifests read, the journal records its scheduled runs copied there). Every part runs
// under its own time limit; a part that cannot be reached is named in the report as unseen, never a blank verdict.
import type { Unseen } from "../../../shared/compliance/compliance-report.ts";
import type { BundledJournal, EvidenceBundle, ObservedStore } from "../../../shared/compliance/evidence-bundle.ts";
import type { Profile, ReplicaConfig, StorageConfig } from "../../../shared/config.ts";
import { RUNBOOKS } from "../../../shared/runbooks/all-runbooks.ts";
import { cadenceMs } from "../../../shared/schedule/occurrences.ts";
import { toErrorInfo } from "../../engine/error-info.ts";
import { withTimeout } from "../../engine/with-timeout.ts";
import type { JournalReader } from "../../journal/journal-reader.ts";
import type { BackupStore } from "../../storage/backup-store.ts";
import { journalIdOf } from "../../store-journal/copy-journal-range.ts";
import type { ReportPeriod } from "../period.ts";
import { journalEvidence, storeJournalEvidence, TRAINING_ONLY, type JournalScope } from "./journal-evidence.ts";
import { storeEvidence } from "./store-evidence.ts";

const DAY_MS = 86_400_000;

export interface GatherOptions {
  profiles: Profile[];
  period: ReportPeriod;
  now: Date;
  /** The profile's primary store. */
  store: (p: Profile) => Promise<BackupStore>;
  /** A replica's store; without it every replica is named as unseen (never counted as a copy). */
  replicaStore?: ((p: Profile, r: ReplicaConfig) => Promise<BackupStore>) | undefined;
  journal: JournalReader;
  /** Practice journals (the sandbox's) to read training from: where each is, and its reader when it exists. */
  practice: { dir: string; reader: JournalReader | undefined }[];
  timeoutMs: number;
  /** Targets given with the request win over the profiles' own. */
  targets?: { rtoMinutes?: number | undefined; rpoMinutes?: number | undefined };
}

export function targetsOf(p: Profile, now: Date, given: GatherOptions["targets"] = {}) {
  const backup = p.schedule?.backup?.at;
  const cadence = backup ? Math.min(DAY_MS, cadenceMs(backup, p.schedule?.timezone, now)) : DAY_MS;
  return {
    name: p.name,
    rtoMinutes: given.rtoMinutes ?? p.targets.rtoMinutes,
    rpoMinutes: given.rpoMinutes ?? p.targets.rpoMinutes,
    cadenceMs: cadence,
    toleranceCadences: p.monitoring.warnAfterCadences,
  };
}

function storeMeta(s: StorageConfig): { kind: "s3" | "folder"; region: string | null } {
  return s.kind === "s3" ? { kind: "s3", region: s.region } : { kind: "folder", region: null };
}

function unreachableStore(p: Profile, name: string, storage: StorageConfig, error: string): ObservedStore {
  return {
    profile: p.name,
    name,
    description: describe(storage),
    ...storeMeta(storage),
    reachable: false,
    error,
    objects: 0,
    bytes: 0,
    committed: [],
    plaintext: [],
    locks: null,
  };
}

function describe(s: StorageConfig): string {
  return s.kind === "s3" ? `s3://${s.bucket}${s.prefix ? `/${s.prefix}` : ""}` : `folder:${s.path}`;
}

/** A replica's listing (its copies, and any plaintext object in it), or why it could not be seen. */
async function observeReplica(
  o: GatherOptions,
  p: Profile,
  r: ReplicaConfig,
  unseen: Unseen[],
): Promise<ObservedStore> {
  const what = `replica "${r.name}" (${describe(r.storage)})`;
  try {
    if (!o.replicaStore) throw new Error("this report was made without opening replica stores");
    const store = await withTimeout(o.replicaStore(p, r), o.timeoutMs, "STORAGE_UNREACHABLE", `The ${what}`);
    const seen = await withTimeout(
      storeEvidence(store, p.name, r.name, storeMeta(r.storage), { readManifests: false }),
      o.timeoutMs,
      "STORAGE_UNREACHABLE",
      `The ${what}`,
    );
    return seen.observed;
  } catch (e) {
    const why = toErrorInfo(e).message;
    unseen.push({ profile: p.name, what: `the ${what}`, why });
    return unreachableStore(p, r.name, r.storage, why);
  }
}

export async function gatherBundle(o: GatherOptions): Promise<{ bundle: EvidenceBundle; unseen: Unseen[] }> {
  const scope: JournalScope = {
    fromMs: Date.parse(o.period.from),
    toMs: Date.parse(o.period.to),
    profiles: new Set(o.profiles.map((p) => p.name)),
  };
  const unseen: Unseen[] = [];
  const journals: BundledJournal[] = [];
  const local = await journalEvidence(o.journal, "local", scope);
  if (local) journals.push(local);
  const localId = local?.journalId ?? (await journalIdOf(o.journal).catch(() => undefined));
  for (const p of o.practice) {
    if (!p.reader) continue;
    const j = await journalEvidence(p.reader, "practice", scope, { practice: true, kinds: TRAINING_ONLY });
    if (j && j.journalId !== localId) journals.push(j);
  }

  const stores: ObservedStore[] = [];
  const manifests: EvidenceBundle["manifests"] = [];
  await Promise.all(
    o.profiles.map(async (p) => {
      try {
        const store = await withTimeout(o.store(p), o.timeoutMs, "STORAGE_UNREACHABLE", `The store of ${p.name}`);
        const seen = await withTimeout(
          storeEvidence(store, p.name, "primary", storeMeta(p.storage), { readManifests: true }),
          o.timeoutMs,
          "STORAGE_UNREACHABLE",
          `The store of ${p.name}`,
        );
        stores.push(seen.observed);
        manifests.push(...seen.manifests);
        const copied = await withTimeout(
          storeJournalEvidence(store, p.name, localId, scope),
          o.timeoutMs,
          "STORAGE_UNREACHABLE",
          `The journal records in the store of ${p.name}`,
        ).catch((e: unknown) => {
          unseen.push({
            profile: p.name,
            what: "journal records scheduled runs copied into the store",
            why: toErrorInfo(e).message,
          });
          return [];
        });
        journals.push(...copied);
      } catch (e) {
        const why = toErrorInfo(e).message;
        stores.push(unreachableStore(p, "primary", p.storage, why));
        unseen.push({ profile: p.name, what: `the backup store ${describe(p.storage)}`, why });
      }
      for (const r of p.replicas) stores.push(await observeReplica(o, p, r, unseen));
    }),
  );
  for (const p of o.practice.filter((x) => !x.reader))
    unseen.push({ profile: null, what: `practice runs (team training) in ${p.dir}`, why: "no practice journal there" });

  const byName = (a: { profile: string; name: string }, b: { profile: string; name: string }) =>
    a.profile === b.profile ? (a.name < b.name ? -1 : 1) : a.profile < b.profile ? -1 : 1;
  return {
    bundle: {
      journals: mergeJournals(journals),
      manifests: manifests.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.store < b.store ? -1 : 1)),
      stores: stores.sort(byName),
      runbooks: RUNBOOKS.map((r) => ({ id: r.id, version: r.version, title: r.title })),
      targets: o.profiles.map((p) => targetsOf(p, o.now, o.targets)),
      practice: o.practice.map((p) => ({ dir: p.dir, found: !!p.reader })),
    },
    unseen,
  };
}

/** One entry per journal, its lines in seq order without repeats, whichever sources they came from. */
function mergeJournals(list: BundledJournal[]): BundledJournal[] {
  const out = new Map<string, { j: BundledJournal; lines: Map<number, string> }>();
  for (const j of list) {
    const e = out.get(j.journalId) ?? { j: { ...j, lines: [] }, lines: new Map<number, string>() };
    for (const line of j.lines) {
      const seq = Number(/^\{"v":1,"seq":(\d+),/.exec(line)?.[1]);
      if (!e.lines.has(seq)) e.lines.set(seq, line);
    }
    if (!e.j.tip && j.tip) e.j.tip = j.tip;
    out.set(j.journalId, e);
  }
  return [...out.values()]
    .map(({ j, lines }) => ({ ...j, lines: [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l) }))
    .sort((a, b) => (a.journalId < b.journalId ? -1 : 1));
}

// The evidence bundle, parsed once into what the rules ask for: journal records by kind and profile (each with the
// reference a verdict cites), manifests by profile, and what was observed in each store. Pure: it reads only the
// bundle, so `report verify` derives the same verdicts from the same file.
import type { ManifestRef, ProfileTargets, RecordRef } from "../../../shared/compliance/compliance-report.ts";
import type { EvidenceBundle, ObservedStore } from "../../../shared/compliance/evidence-bundle.ts";
import { BackupManifest } from "../../../shared/manifest.ts";
import type { JournalRecord } from "../../../shared/api/journal-schemas.ts";

export interface EvRecord extends JournalRecord {
  ref: RecordRef;
  /** Where it was read ("local", "practice", "store:<profile>"). */
  source: string;
}

export interface EvManifest {
  m: BackupManifest;
  /** The manifest as stored, for fields a newer Lifeboat wrote that this one does not model. */
  raw: Record<string, unknown>;
  ref: ManifestRef;
  startedMs: number;
}

export interface Period {
  fromMs: number;
  toMs: number;
}

export class EvidenceIndex {
  readonly records: EvRecord[] = [];
  /** Committed backups in each profile's primary store, oldest first. */
  private readonly manifests = new Map<string, EvManifest[]>();
  /** Manifests that did not parse: named as findings, never used. */
  readonly unreadableManifests: { profile: string; key: string; why: string }[] = [];

  constructor(readonly bundle: EvidenceBundle) {
    const seen = new Set<string>();
    for (const j of bundle.journals) {
      for (const line of j.lines) {
        let r: JournalRecord;
        try {
          r = JSON.parse(line) as JournalRecord;
        } catch {
          continue; // not a record: `report verify` names it
        }
        if (typeof r?.seq !== "number" || typeof r.kind !== "string" || typeof r.ts !== "string") continue;
        const key = `${j.journalId}:${r.seq}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.records.push({
          ...r,
          source: j.source,
          ref: { type: "record", journal: j.journalId, seq: r.seq, hash: r.hash, kind: r.kind, ts: r.ts },
        });
      }
    }
    this.records.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.ref.journal.localeCompare(b.ref.journal)));
    for (const b of bundle.manifests) {
      if (b.store !== "primary") continue;
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(b.text) as Record<string, unknown>;
      } catch {
        this.unreadableManifests.push({ profile: b.profile, key: b.key, why: "not JSON" });
        continue;
      }
      const parsed = BackupManifest.safeParse(raw);
      if (!parsed.success) {
        this.unreadableManifests.push({ profile: b.profile, key: b.key, why: "not a Lifeboat manifest" });
        continue;
      }
      const list = this.manifests.get(b.profile) ?? [];
      list.push({
        m: parsed.data,
        raw,
        ref: { type: "manifest", profile: b.profile, store: b.store, id: parsed.data.id, key: b.key, sha256: b.sha256 },
        startedMs: Date.parse(parsed.data.startedAt),
      });
      this.manifests.set(b.profile, list);
    }
    for (const list of this.manifests.values())
      list.sort((a, b) => a.startedMs - b.startedMs || (a.m.id < b.m.id ? -1 : 1));
  }

  /** Finished records (not "started") of a kind, or of every kind under a prefix ending in ".". */
  ended(kind: string, profile?: string | null): EvRecord[] {
    const match = kind.endsWith(".") ? (k: string) => k.startsWith(kind) : (k: string) => k === kind;
    return this.records.filter(
      (r) => match(r.kind) && r.outcome !== "started" && (profile === undefined || (r.profile ?? null) === profile),
    );
  }

  backups(profile: string): EvManifest[] {
    return this.manifests.get(profile) ?? [];
  }

  stores(profile: string): ObservedStore[] {
    return this.bundle.stores.filter((s) => s.profile === profile);
  }

  primary(profile: string): ObservedStore | undefined {
    return this.bundle.stores.find((s) => s.profile === profile && s.name === "primary");
  }

  targets(profile: string): ProfileTargets {
    const t = this.bundle.targets.find((x) => x.name === profile);
    if (!t) throw new Error(`no targets for profile ${profile} in the bundle`);
    return t;
  }
}

export function inPeriod(ts: string | number, p: Period): boolean {
  const t = typeof ts === "number" ? ts : Date.parse(ts);
  return t >= p.fromMs && t <= p.toMs;
}

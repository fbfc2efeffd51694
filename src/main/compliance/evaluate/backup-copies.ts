// Where each backup exists: the primary store, and every replica that holds it, by the replica's listing when the
// report was made or by the replica.copy record that proved the copy (size and sha256 read back) when it was made.
import type { EvidenceRef } from "../../../shared/compliance/compliance-report.ts";
import type { ObservedStore } from "../../../shared/compliance/evidence-bundle.ts";
import type { EvidenceIndex, EvManifest, Period } from "./evidence-index.ts";

export interface Copy {
  store: ObservedStore;
  /** Seen in the replica's listing now. */
  listed: boolean;
  /** The record that proved the copy, if any. */
  proof?: EvidenceRef;
  otherRegion: boolean;
}

export interface BackupCopies {
  backup: EvManifest;
  copies: Copy[];
}

export function otherRegion(primary: ObservedStore | undefined, replica: ObservedStore): boolean {
  return !!primary?.region && !!replica.region && primary.region !== replica.region;
}

export function copiesInPeriod(ix: EvidenceIndex, profile: string, period: Period): BackupCopies[] {
  const primary = ix.primary(profile);
  const replicas = ix.stores(profile).filter((s) => s.name !== "primary");
  const proofs = new Map<string, EvidenceRef>();
  for (const r of ix.ended("replica.copy", profile)) {
    const d = r.details as { id?: string; replica?: string; sha256?: string };
    if (r.outcome === "ok" && d.id && d.replica) proofs.set(`${d.replica}/${d.id}`, r.ref);
  }
  const listed = new Map(replicas.map((s) => [s.name, new Set(s.committed)]));
  return ix
    .backups(profile)
    .filter((b) => b.startedMs >= period.fromMs && b.startedMs <= period.toMs)
    .map((b) => ({
      backup: b,
      copies: replicas.flatMap((s) => {
        const seen = listed.get(s.name)!.has(b.m.id);
        const proof = proofs.get(`${s.name}/${b.m.id}`);
        return seen || proof
          ? [{ store: s, listed: seen, ...(proof ? { proof } : {}), otherRegion: otherRegion(primary, s) }]
          : [];
      }),
    }));
}

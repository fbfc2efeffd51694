// What the prune planner needs to know about a store, gathered with one listing, one GET per manifest, and lock reads
// only where they matter. Whether a backup is proven restorable comes from the evidence verify leaves in its folder.
import type { BackupLockState } from "../../shared/api/channels/protection-channels.ts";
import { MANIFEST_NAME, type BackupManifest } from "../../shared/manifest.ts";
import { parseManifest, scanBackupFolders, type BackupFolder } from "../backup/backup-catalog.ts";
import { EVIDENCE_DIR, idTime, sha256Hex } from "../backup/backup-layout.ts";
import { backupLockState } from "../object-lock/backup-lock-state.ts";
import { objectLockFor } from "../object-lock/s3-object-lock.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { verifiedEvidencePrefix } from "../verify/verified-evidence.ts";
import type { BackupFact, IncompleteFact, LockFact, UploadFact } from "./plan-prune.ts";

export interface StoreFacts {
  backups: BackupFact[];
  incomplete: IncompleteFact[];
  uploads: UploadFact[];
  /** The committed backups' manifests and folders, by id: what a deletion needs. */
  byId: Map<string, { manifest: BackupManifest; folder: BackupFolder; manifestSha256: string }>;
  incompleteFolders: Map<string, BackupFolder>;
}

/** What a run writes into its folder before its manifest: the archive, the profile's configuration, evidence. */
const LIFEBOAT_WRITES = /^(?:[A-Za-z0-9_.-]+\.pgdump(?:\.zst)?\.age|profile\.json|evidence\/.+)$/;

/** true, or why the folder may hold something that is not part of a Lifeboat backup. */
function provable(profile: string, folder: BackupFolder, m: BackupManifest): true | string {
  if (m.id !== folder.id) return `its manifest names backup ${m.id}, not ${folder.id}`;
  if (m.profile !== profile) return `its manifest belongs to profile "${m.profile}"`;
  const known = new Set([`${folder.dir}/${MANIFEST_NAME}`, m.object.key, ...(m.config ? [m.config.key] : [])]);
  if (!m.object.key.startsWith(`${folder.dir}/`)) return `its manifest points outside the folder (${m.object.key})`;
  const stranger = folder.objects.find((o) => !known.has(o.key) && !o.key.startsWith(`${folder.dir}/${EVIDENCE_DIR}/`));
  return stranger ? `it holds ${stranger.key}, which Lifeboat never writes` : true;
}

export function lockFactOf(s: BackupLockState): LockFact | undefined {
  if (s.status === "unsupported" || s.status === "bucket-rule") return undefined;
  const untils = s.objects.map((o) => (o.retainUntil ? Date.parse(o.retainUntil) : null));
  const set = untils.filter((u): u is number => u !== null);
  return {
    ...(s.mode ? { mode: s.mode } : {}),
    ...(set.length ? { until: Math.max(...set) } : {}),
    weakest: untils.some((u) => u === null) ? null : Math.min(...set),
    legalHold: s.objects.some((o) => o.legalHold),
  };
}

export async function gatherFacts(store: BackupStore, profile: string): Promise<StoreFacts> {
  const facts: StoreFacts = { backups: [], incomplete: [], uploads: [], byId: new Map(), incompleteFolders: new Map() };
  for (const folder of await scanBackupFolders(store, profile)) {
    const time = idTime(folder.id)!;
    if (!folder.committed) {
      const stranger = folder.objects.find((o) => !LIFEBOAT_WRITES.test(o.key.slice(folder.dir.length + 1)));
      facts.incomplete.push({
        dir: folder.dir,
        provable: stranger ? `it holds ${stranger.key}, which Lifeboat never writes` : true,
        time,
        lastModified: Math.max(...folder.objects.map((o) => o.lastModified.getTime())),
        bytes: folder.bytes,
      });
      facts.incompleteFolders.set(folder.dir, folder);
      continue;
    }
    const key = `${folder.dir}/${MANIFEST_NAME}`;
    let raw: Buffer;
    let m: BackupManifest;
    try {
      raw = await store.getSmall(key);
      m = parseManifest(raw, key);
    } catch {
      continue; // an unreadable manifest: not provably a backup, so neither kept by nor deleted by the policy
    }
    const manifestSha256 = sha256Hex(raw);
    const evidence = verifiedEvidencePrefix(folder.dir, manifestSha256);
    facts.backups.push({
      id: folder.id,
      time,
      manifestSha256,
      bytes: folder.bytes,
      verified: folder.objects.some((o) => o.key.startsWith(evidence)),
      provable: provable(profile, folder, m),
    });
    facts.byId.set(folder.id, { manifest: m, folder, manifestSha256 });
  }
  const tool = objectLockFor(store);
  if (tool) {
    facts.uploads = (await tool.uploads(`${profile}/`)).map((u) => ({
      key: u.key,
      uploadId: u.uploadId,
      initiated: u.initiated.getTime(),
    }));
  }
  return facts;
}

/** Reads the locks of the given backups into their facts (in place). */
export async function addLockFacts(
  store: BackupStore,
  facts: StoreFacts,
  ids: Iterable<string>,
  now: number,
): Promise<void> {
  const wanted = new Set(ids);
  for (const b of facts.backups) {
    if (!wanted.has(b.id)) continue;
    const lock = lockFactOf(await backupLockState(store, facts.byId.get(b.id)!.manifest, now));
    if (lock) b.lock = lock;
  }
}

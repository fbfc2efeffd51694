import { MANIFEST_NAME, type BackupManifest } from "../../shared/manifest.ts";
import { EVIDENCE_DIR, sha256Hex } from "../backup/backup-layout.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { LIFEBOAT_VERSION } from "../version.ts";

/** The prefix of a passed verify's evidence for one manifest: its name carries the digest, so a listing proves it. */
export function verifiedEvidencePrefix(dir: string, manifestSha256: string): string {
  return `${dir}/${EVIDENCE_DIR}/verified-${manifestSha256.slice(0, 16)}-`;
}

/**
 * Leaves the evidence of a passed verify in the backup's folder, where any machine that opens the store sees it:
 * retention never lets the number of backups proven restorable fall below keepLast. A store that refuses the write
 * (read-only or locked-down credentials) costs the evidence, not the verify.
 */
export async function recordVerified(
  store: BackupStore,
  m: BackupManifest,
  facts: { deep: boolean; at: Date; tables: number; rows: number },
): Promise<{ key: string } | { error: string }> {
  try {
    const dir = m.object.key.slice(0, m.object.key.lastIndexOf("/"));
    const manifestSha256 = sha256Hex(await store.getSmall(`${dir}/${MANIFEST_NAME}`));
    const stamp = facts.at
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z");
    const key = `${verifiedEvidencePrefix(dir, manifestSha256)}${stamp}.json`;
    const body = {
      format: "lifeboat-verified/1",
      id: m.id,
      manifestSha256,
      objectSha256: m.object.sha256,
      bytes: m.object.bytes,
      deep: facts.deep,
      tables: facts.tables,
      rows: facts.rows,
      at: facts.at.toISOString(),
      lifeboatVersion: LIFEBOAT_VERSION,
    };
    await store.putSmall(key, JSON.stringify(body, null, 2) + "\n", "application/json");
    return { key };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

import { isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { manifestBytes } from "./backup-layout.ts";

/** A committed backup: its manifest, and what went wrong after the commit without undoing it. */
export type BackupResult = BackupManifest & { warnings?: string[] };

/**
 * Writes the manifest, the commit marker. From here on the backup is either committed or not, and Lifeboat says which:
 * a write whose reply was lost (a timeout after the server stored it) is checked with a HEAD before it is called a
 * failure, and a HEAD that cannot answer either leaves the outcome stated as unknown rather than guessed.
 */
export async function commitManifest(store: BackupStore, key: string, manifest: BackupManifest): Promise<BackupResult> {
  const body = manifestBytes(manifest);
  try {
    await store.putSmall(key, body, "application/json");
    return manifest;
  } catch (e) {
    const there = await store.head(key).catch(() => undefined);
    if (there && there.bytes === Buffer.byteLength(body)) {
      return {
        ...manifest,
        warnings: [
          `the store did not confirm the manifest write (${e instanceof Error ? e.message : String(e)}), but ${key} is there: the backup is committed`,
        ],
      };
    }
    if (there === undefined && isLifeboatError(e)) {
      throw new LifeboatError(
        e.code,
        `${e.message}; whether backup ${manifest.id} committed is unknown: its manifest write got no answer and the check after it failed too`,
        `\`lifeboat backups\` shows whether ${manifest.id} is listed (committed) once the store answers again. ${e.hint ?? ""}`.trim(),
        e.details,
      );
    }
    throw e;
  }
}

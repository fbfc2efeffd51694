// The proof a restore is judged by: every restored table's exact row count equals the manifest's (for --table, those
// tables; for --schema-only, that they exist and are empty), and after a full restore the large objects are all there
// (count and digest). A --table restore whose rows point at large objects it did not bring is not a clean success.
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { countRestored } from "../postgres/snapshot-counts.ts";
import type { RestoreResult, TableComparison } from "../../shared/api/channels/backup-channels.ts";
import { compareCounts, mismatches, qualified } from "../backup/compare-counts.ts";
import type { RestoreOptions } from "./restore-steps.ts";

export interface RestoreProof {
  tables: TableComparison[];
  largeObjects?: RestoreResult["largeObjects"];
}

/** Throws ROWCOUNT_MISMATCH or LARGE_OBJECTS_MISSING, saying where the restored data was kept, unless all holds. */
export async function proveRestore(
  conn: ConnInfo,
  m: BackupManifest,
  opts: RestoreOptions,
  selected: BackupManifest["tables"] | undefined,
  kept: string,
  signal?: AbortSignal,
): Promise<RestoreProof> {
  const full = !selected && !opts.schemaOnly;
  const checkLargeObjects = full && m.largeObjects !== undefined;
  // Only a manifest that says the backup has no large objects rules out dangling references.
  const checkDangling = !!selected && !opts.schemaOnly && m.largeObjects?.count !== 0;
  const counted = await countRestored(conn, {
    ...(signal ? { signal } : {}),
    largeObjects: checkLargeObjects,
    ...(checkDangling ? { danglingIn: selected } : {}),
  });
  const expected = opts.schemaOnly ? (selected ?? m.tables).map((t) => ({ ...t, rows: 0 })) : (selected ?? m.tables);
  const tables = compareCounts(expected, new Map(counted.tables.map((t) => [qualified(t), t.rows] as const)));
  if (tables.some((t) => !t.ok)) {
    throw new LifeboatError(
      "ROWCOUNT_MISMATCH",
      `restore of ${m.id} into "${opts.database}" is NOT proven: row counts differ from the manifest: ${mismatches(tables)}`,
      `Do not put this data into service. ${kept}`,
      { tables },
    );
  }
  const lo = counted.largeObjects;
  if (checkLargeObjects && lo && m.largeObjects) {
    if (lo.count !== m.largeObjects.count || lo.sha256 !== m.largeObjects.sha256) {
      throw new LifeboatError(
        "ROWCOUNT_MISMATCH",
        `restore of ${m.id} into "${opts.database}" is NOT proven: ${lo.count === m.largeObjects.count ? `the ${lo.count} large objects' contents differ from the backup's digest` : `${lo.count} large objects were restored, the backup holds ${m.largeObjects.count}`}`,
        `Do not put this data into service. ${kept}`,
        { tables, largeObjects: { expected: m.largeObjects.count, actual: lo.count } },
      );
    }
  }
  const dangling = counted.dangling ?? [];
  if (dangling.length) {
    const total = dangling.reduce((a, d) => a + d.rows, 0);
    throw new LifeboatError(
      "LARGE_OBJECTS_MISSING",
      `the selected tables were restored into "${opts.database}" and their row counts match, but ${total} row${total === 1 ? "" : "s"} point at large objects that a --table restore does not bring: ${dangling.map((d) => `${d.column} (${d.rows})`).join(", ")}`,
      `Those rows refer to missing data. Restore the whole backup (without --table) to get the large objects. ${kept}`,
      { tables, dangling },
    );
  }
  return { tables, ...(checkLargeObjects && lo ? { largeObjects: { count: lo.count, ok: true as const } } : {}) };
}

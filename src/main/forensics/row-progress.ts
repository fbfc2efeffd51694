import type { ProgressListener } from "../../shared/progress.ts";
import type { DiffProgress } from "./diff-table.ts";

/** A compare or copy's row counts (branch and production rows read so far) as the progress events every face draws. */
export function rowProgress(
  listener: ProgressListener | undefined,
  phase: string,
): ((p: DiffProgress) => void) | undefined {
  if (!listener) return undefined;
  return (p) =>
    listener({
      operation: "forensics",
      phase,
      bytes: 0,
      rows: Math.max(p.branchRows, p.productionRows),
      ...(p.estimatedRows ? { totalRows: p.estimatedRows } : {}),
    });
}

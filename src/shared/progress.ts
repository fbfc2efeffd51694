import { z } from "zod";

/** A progress event from a long operation: what the CLI draws as a bar and the console as a progress bar. */
export const Progress = z.object({
  operation: z.enum(["backup", "verify", "restore", "forensics"]),
  phase: z.string(),
  /** Bytes through the pipeline so far (plaintext archive bytes for backup, stored-object bytes for verify/restore). */
  bytes: z.number(),
  /** Expected total bytes when it can be known or estimated. */
  totalBytes: z.number().optional(),
  tablesDone: z.number().optional(),
  tablesTotal: z.number().optional(),
  currentTable: z.string().optional(),
  /** Rows gone through so far, for operations that go by rows (forensics diff and copy). */
  rows: z.number().optional(),
  /** The planner's estimate of the rows there are to go through: an estimate, so the bar can reach 100% early or late. */
  totalRows: z.number().optional(),
  bytesPerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
});
export type Progress = z.infer<typeof Progress>;
export type ProgressListener = (p: Progress) => void;

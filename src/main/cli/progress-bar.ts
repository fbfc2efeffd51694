import type { Progress } from "../../shared/progress.ts";
import type { CliIo } from "./cli-io.ts";
import { formatBytes } from "./output.ts";

export interface ProgressPrinter {
  onProgress: (p: Progress) => void;
  /** A line between progress updates ("waiting for create_branch…"): stderr and indented unless told otherwise. */
  note: (text: string, to?: NodeJS.WritableStream, indent?: string) => void;
  done: () => void;
}

/** A one-line progress display on a TTY's stderr: phase, bytes (or rows), tables, rate and ETA. Silent without a TTY. */
export function progressPrinter(io: CliIo, enabled: boolean): ProgressPrinter {
  let drawn = false;
  const clear = (): void => {
    if (drawn) io.stderr.write("\r\x1b[2K");
    drawn = false;
  };
  const note = (text: string, to: NodeJS.WritableStream = io.stderr, indent = "  "): void => {
    clear();
    to.write(`${indent}${text}\n`);
  };
  if (!enabled || !io.isTTY) return { onProgress: () => undefined, note, done: () => undefined };
  return {
    onProgress: (p) => {
      const amount =
        p.rows !== undefined
          ? `${p.rows} rows${p.totalRows ? ` of ~${p.totalRows}` : ""}`
          : formatBytes(p.bytes) + (p.totalBytes ? ` of ~${formatBytes(p.totalBytes)}` : "");
      const parts = [`${p.operation}: ${p.phase}`, amount];
      if (p.tablesTotal) parts.push(`tables ${p.tablesDone ?? 0}/${p.tablesTotal}`);
      if (p.bytesPerSecond) parts.push(`${formatBytes(p.bytesPerSecond)}/s`);
      if (p.etaSeconds !== undefined) parts.push(`ETA ${Math.ceil(p.etaSeconds)} s`);
      if (p.currentTable) parts.push(p.currentTable);
      io.stderr.write(`\r\x1b[2K${parts.join(" · ").slice(0, 160)}`);
      drawn = true;
    },
    note,
    done: clear,
  };
}

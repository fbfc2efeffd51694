import type { Progress } from "../../shared/progress.ts";
import type { CliIo } from "./cli-io.ts";
import { formatBytes } from "./output.ts";

/** A one-line progress display on a TTY's stderr: phase, bytes (or rows), tables, rate and ETA. Silent without a TTY. */
export function progressPrinter(io: CliIo, enabled: boolean): { onProgress: (p: Progress) => void; done: () => void } {
  let drawn = false;
  if (!enabled || !io.isTTY) return { onProgress: () => undefined, done: () => undefined };
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
    done: () => {
      if (drawn) io.stderr.write("\r\x1b[2K");
    },
  };
}

import type { Progress, ProgressListener } from "../../shared/progress.ts";

/** Turns raw counters into throttled progress events with a rate and an ETA. */
export class ProgressTracker {
  private readonly started = Date.now();
  private lastEmit = 0;
  private state: Progress;

  constructor(
    private readonly listener: ProgressListener | undefined,
    init: Omit<Progress, "bytes"> & { bytes?: number },
    private readonly intervalMs = 200,
  ) {
    this.state = { bytes: 0, ...init };
  }

  update(patch: Partial<Progress>, force = false): void {
    this.state = { ...this.state, ...patch };
    if (!this.listener) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? this.state.bytes / secs : 0;
    const { totalBytes } = this.state;
    const eta =
      rate > 0 && totalBytes && totalBytes > this.state.bytes ? (totalBytes - this.state.bytes) / rate : undefined;
    this.listener({ ...this.state, bytesPerSecond: rate, ...(eta !== undefined ? { etaSeconds: eta } : {}) });
  }

  phase(phase: string): void {
    this.update({ phase }, true);
  }
}

/** pg_dump/pg_restore --verbose name the table they are on; each new one means the previous one is done. */
export function tableFromVerboseLine(line: string): string | null {
  const m = /(?:dumping contents of table|processing data for table) "([^"]+)"/.exec(line);
  return m ? m[1]! : null;
}

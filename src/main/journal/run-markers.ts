// Which operations recorded as "started" are still running: while one runs, <journal>/running/<seq> names its
// process (the same "pid host time start=" line as a lock file). A record whose marker is missing, or names a process
// that is gone, belongs to a run that ended without recording how (kill -9, a power cut). Markers are a convenience for
// `lifeboat doctor`: failing to write one never stops an operation.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lockText, staleReason } from "./file-lock.ts";

const RUNNING_DIR = "running";

export function markRunning(dir: string, seq: number): void {
  try {
    mkdirSync(join(dir, RUNNING_DIR), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, RUNNING_DIR, String(seq)), lockText(), { mode: 0o600 });
  } catch {
    // A full or read-only disk: doctor then judges the record by the processes it can see.
  }
}

export function clearRunning(dir: string, seq: number): void {
  try {
    rmSync(join(dir, RUNNING_DIR, String(seq)), { force: true });
  } catch {
    // Left behind: it names a process that will be gone, which doctor reads as ended.
  }
}

/** "running" while the marker's process lives; "ended" when it is gone or there is no marker. */
export function runState(dir: string, seq: number): "running" | "ended" {
  let text: string;
  try {
    text = readFileSync(join(dir, RUNNING_DIR, String(seq)), "utf8");
  } catch {
    return "ended";
  }
  return staleReason(text) ? "ended" : "running";
}

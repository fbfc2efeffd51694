// A fresh journal folder per test, removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempJournalDir(): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "lifeboat-journal-"));
  return { dir: join(root, "journal"), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A clock that starts at `start` and advances by `stepMs` on every call (tests lay out realistic timelines). */
export function steppingClock(start: string, stepMs: number): { clock: () => Date; jump: (ms: number) => void } {
  let t = Date.parse(start);
  return {
    clock: () => {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
    jump: (ms: number) => {
      t += ms;
    },
  };
}

// A fresh journal folder per test, removed afterwards, and a settable clock for laying out realistic timelines.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tempJournalDir(): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "lifeboat-journal-"));
  return { dir: join(root, "journal"), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A clock that stands still until moved; each reading adds 1 ms so records still get distinct, ordered times. */
export function testClock(start: string): {
  clock: () => Date;
  advance: (ms: number) => void;
  at: (iso: string) => string;
} {
  let t = Date.parse(start);
  return {
    clock: () => new Date(t++),
    advance: (ms: number) => {
      t += ms;
    },
    at: (iso: string) => new Date(Date.parse(iso)).toISOString(),
  };
}

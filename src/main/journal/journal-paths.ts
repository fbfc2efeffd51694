// Where the journal lives and how its files are named. The journal is per user and per machine: it records what this
// operator did on this laptop, so it sits in the user data folder, not next to the backups.
import { join, resolve } from "node:path";
import envPaths from "env-paths";

/** An explicit dir, then LIFEBOAT_JOURNAL_DIR, then <user data folder>/journal. */
export function resolveJournalDir(dir?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (dir) return resolve(dir);
  if (env.LIFEBOAT_JOURNAL_DIR) return resolve(env.LIFEBOAT_JOURNAL_DIR);
  return join(envPaths("lifeboat", { suffix: "" }).data, "journal");
}

const SEGMENT = /^journal-(\d{12})\.jsonl$/;

/** Segments are named by the seq of their first record, zero-padded so that name order is seq order. */
export function segmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(12, "0")}.jsonl`;
}

export function segmentFirstSeq(name: string): number | undefined {
  const m = SEGMENT.exec(name);
  return m ? Number(m[1]) : undefined;
}

export const HEAD_FILE = "head.json";
export const LOCK_FILE = "journal.lock";
export const INDEX_DIR = "index";

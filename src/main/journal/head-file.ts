// The head file is the journal's tail anchor: the seq and hash of the last committed record, rewritten after every
// group commit. It is written only after the records it names are fsynced, so it can lag the journal but never run
// ahead of it. If the journal ends before the head's seq, or the record at that seq has another hash, the tail was cut
// or rewritten. It also caches where that record sits and which incident is open, so opening a large journal is cheap.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HEAD_FILE } from "./journal-paths.ts";

export interface HeadFile {
  v: 1;
  seq: number;
  hash: string;
  segment: string;
  /** Byte offset of the head record's line in its segment, and just past its newline. */
  offset: number;
  end: number;
  openIncident: string | null;
  updatedAt: string;
}

export type HeadRead = { state: "missing" } | { state: "invalid"; text: string } | { state: "ok"; head: HeadFile };

export function readHead(dir: string): HeadRead {
  let text: string;
  try {
    text = readFileSync(join(dir, HEAD_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw e;
  }
  try {
    const h = JSON.parse(text) as HeadFile;
    const valid =
      h && h.v === 1 && Number.isInteger(h.seq) && h.seq > 0 && /^[0-9a-f]{64}$/.test(h.hash) && typeof h.segment === "string" &&
      Number.isInteger(h.offset) && Number.isInteger(h.end) && h.end > h.offset;
    return valid ? { state: "ok", head: { ...h, openIncident: h.openIncident ?? null } } : { state: "invalid", text };
  } catch {
    return { state: "invalid", text };
  }
}

/** Atomic replace (write a temp file, rename over). Not fsynced: after a power cut the head may lag, which is safe. */
export function writeHead(dir: string, head: Omit<HeadFile, "v" | "updatedAt">): void {
  const path = join(dir, HEAD_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify({ v: 1, ...head, updatedAt: new Date().toISOString() })}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

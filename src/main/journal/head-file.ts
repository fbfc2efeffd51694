// The head file is the journal's tail anchor: the seq and hash of the last committed record, rewritten after every
// group commit. It is written only after the records it names are fsynced, so it can lag the journal but never run
// ahead of it. If the journal ends before the head's seq, or the record at that seq has another hash, the tail was cut
// or rewritten. It also caches where that record sits and which incident is open, so opening a large journal is cheap.
import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { fsyncDir } from "./fsync-dir.ts";
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

/**
 * "empty": the head file a journal gets before its first record is written, naming no record. After a crash between
 * the first records' fsync and the first head update it is what a journal with records has: a head that lags, like
 * any head, and not a missing one (which is what deleting it to hide a cut tail would look like).
 */
export type HeadRead =
  { state: "missing" } | { state: "empty" } | { state: "invalid"; text: string } | { state: "ok"; head: HeadFile };

export function readHead(dir: string): HeadRead {
  // A reader can race the in-place rewrite; a second look settles it.
  const first = readHeadOnce(dir);
  return first.state === "invalid" ? readHeadOnce(dir) : first;
}

function readHeadOnce(dir: string): HeadRead {
  let text: string;
  try {
    text = readFileSync(join(dir, HEAD_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw e;
  }
  try {
    const h = JSON.parse(text) as HeadFile;
    if (h && h.v === 1 && h.seq === 0) return { state: "empty" };
    const valid =
      h &&
      h.v === 1 &&
      Number.isInteger(h.seq) &&
      h.seq > 0 &&
      /^[0-9a-f]{64}$/.test(h.hash) &&
      typeof h.segment === "string" &&
      Number.isInteger(h.offset) &&
      Number.isInteger(h.end) &&
      h.end > h.offset;
    return valid ? { state: "ok", head: { ...h, openIncident: h.openIncident ?? null } } : { state: "invalid", text };
  } catch {
    return { state: "invalid", text };
  }
}

const HEAD_BYTES = 1024;

/** The fixed-size, space-padded block the head file always is. */
function headBlock(head: object): Buffer {
  const buf = Buffer.alloc(HEAD_BYTES, 0x20);
  buf.write(JSON.stringify(head), 0, "utf8");
  buf[HEAD_BYTES - 1] = 0x0a;
  return buf;
}

/**
 * Keeps head.json open and rewrites it in place: one pwrite of a fixed-size, space-padded block per group commit.
 * (Replacing it by rename costs as much as an fsync on ext4, which flushes renamed-over files.) A crash mid-pwrite can
 * only leave it unreadable after a power cut; the next commit rewrites it.
 */
export class HeadWriter {
  private fd: number;

  /** Opens the head file; a journal that has none gets an empty one first, durably, before any record is written. */
  constructor(dir: string) {
    const path = join(dir, HEAD_FILE);
    if (!existsSync(path)) {
      // Whole or absent: written aside, fsynced and renamed into place, so a crash never leaves a half-made head file.
      const tmp = `${path}.tmp-${process.pid}`;
      const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o600);
      try {
        writeSync(fd, headBlock({ v: 1, seq: 0, updatedAt: new Date().toISOString() }), 0, HEAD_BYTES, 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
      fsyncDir(dir);
    }
    this.fd = openSync(path, constants.O_RDWR, 0o600);
    ftruncateSync(this.fd, HEAD_BYTES);
  }

  write(head: Omit<HeadFile, "v" | "updatedAt">): void {
    writeSync(this.fd, headBlock({ v: 1, ...head, updatedAt: new Date().toISOString() }), 0, HEAD_BYTES, 0);
  }

  close(): void {
    closeSync(this.fd);
  }
}

// Reads a segment file as lines with their exact byte offsets, in bounded chunks. A final run of bytes with no newline
// is reported separately: it is a torn write (the process died mid-write) and is never treated as a record.
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { segmentFirstSeq } from "./journal-paths.ts";

const NL = 0x0a;
const CHUNK = 1 << 20;

export interface SegmentLine {
  line: string;
  /** Byte offset of the first byte of the line. */
  offset: number;
  /** Byte offset just past the newline. */
  end: number;
}

export interface SegmentInfo {
  name: string;
  path: string;
  firstSeq: number;
}

/** Segment files of a journal folder, in seq order. */
export async function listSegments(dir: string): Promise<SegmentInfo[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: SegmentInfo[] = [];
  for (const name of names) {
    const firstSeq = segmentFirstSeq(name);
    if (firstSeq !== undefined) out.push({ name, path: join(dir, name), firstSeq });
  }
  return out.sort((a, b) => a.firstSeq - b.firstSeq);
}

export interface ReadResult {
  /** Offset just past the last complete line (where a torn tail, if any, begins). */
  end: number;
  /** Bytes after the last newline. */
  tornBytes: number;
}

/**
 * Calls onLine for every complete line from `from` to the end of the file. Lines are decoded one at a time so offsets
 * stay exact. Returns where complete lines end and how many torn bytes follow.
 */
export async function readSegmentLines(
  path: string,
  from: number,
  onLine: (l: SegmentLine) => void,
): Promise<ReadResult> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    let pos = from;
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = from;
    while (pos < size) {
      const want = Math.min(CHUNK, size - pos);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(chunk, 0, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(NL, start); nl !== -1; nl = buf.indexOf(NL, start)) {
        onLine({ line: buf.toString("utf8", start, nl), offset: carryStart + start, end: carryStart + nl + 1 });
        start = nl + 1;
      }
      carry = buf.subarray(start);
      carryStart += start;
    }
    return { end: carryStart, tornBytes: pos - carryStart };
  } finally {
    await fh.close();
  }
}

/** Reads exactly [offset, end) and returns it as a string (without a trailing newline). */
export async function readLineAt(path: string, offset: number, end: number): Promise<string | undefined> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const buf = Buffer.alloc(end - offset);
    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
    if (bytesRead !== buf.length) return undefined;
    const text = buf.toString("utf8");
    return text.endsWith("\n") ? text.slice(0, -1) : text;
  } finally {
    await fh.close();
  }
}

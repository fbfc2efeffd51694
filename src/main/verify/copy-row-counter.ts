import { createHash, type Hash } from "node:crypto";
import { Writable } from "node:stream";
import { largeObjectsDigest, type LargeObjectSummary } from "../postgres/large-objects.ts";

// pg_restore -f - writes each large object's data as lo_open('<oid>', …); lowrite(0, '\x<hex>'); …; lo_close(0);
// inside the BLOBS data section (E'\\x…' where standard_conforming_strings was off).
const BLOBS_HEADER = /^-- Data for Name: [^;]*; Type: BLOBS;/;
const LO_OPEN = /^SELECT pg_catalog\.lo_open\('(\d+)', \d+\);$/;
const LO_WRITE = /^SELECT pg_catalog\.lowrite\(0, (?:'\\x|E'\\\\x)([0-9a-f]*)'\);$/;
const LO_CLOSE = "SELECT pg_catalog.lo_close(0);";

/**
 * Counts the data rows of every table in a plain-SQL pg_restore output (`pg_restore -f -`), without a database.
 * In COPY text format every row is exactly one line (newlines inside values are escaped), and each block ends at
 * "\.", so counting lines between "COPY … FROM stdin;" and "\." gives the archive's exact row count per table.
 * The large objects' data is hashed on the way, into the same summary a backup's manifest records.
 */
export class CopyRowCounter extends Writable {
  readonly counts = new Map<string, number>();
  private current: string | null = null;
  private rows = 0;
  private carry: Buffer = Buffer.alloc(0);
  private inBlobs = false;
  private lo: { oid: number; md5: Hash } | undefined;
  private readonly loPairs: [number, string][] = [];

  /** The large objects seen (count 0 when the archive has none). */
  largeObjects(): LargeObjectSummary {
    return largeObjectsDigest(this.loPairs);
  }

  private largeObjectLine(buf: Buffer, start: number, end: number): void {
    const text = buf.toString("latin1", start, end);
    if (this.lo) {
      const w = LO_WRITE.exec(text);
      if (w) return void this.lo.md5.update(Buffer.from(w[1]!, "hex"));
      if (text === LO_CLOSE) {
        this.loPairs.push([this.lo.oid, this.lo.md5.digest("hex")]);
        this.lo = undefined;
      }
      return;
    }
    const o = LO_OPEN.exec(text);
    if (o) this.lo = { oid: Number(o[1]), md5: createHash("md5") };
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl === -1) break;
      this.line(buf, start, nl);
      start = nl + 1;
    }
    buf = buf.subarray(start);
    // Keep only the unfinished line; copy it so the big chunk can be freed.
    this.carry = Buffer.from(buf);
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.carry.length) this.line(this.carry, 0, this.carry.length);
    cb();
  }

  private line(buf: Buffer, start: number, end: number): void {
    if (this.current !== null) {
      if (end - start === 2 && buf[start] === 0x5c && buf[start + 1] === 0x2e) {
        this.counts.set(this.current, (this.counts.get(this.current) ?? 0) + this.rows);
        this.current = null;
      } else {
        this.rows++;
      }
      return;
    }
    // Comments and large objects start with "-- " and "SELECT pg_catalog.lo": both rare, so text is made only then.
    if (buf[start] === 0x2d && buf[start + 1] === 0x2d) {
      const text = buf.toString("utf8", start, end);
      if (text.startsWith("-- Data for Name:") || text.startsWith("-- Name:")) this.inBlobs = BLOBS_HEADER.test(text);
      return;
    }
    if (this.inBlobs && buf[start] === 0x53 && end - start < 64 * 1024 * 1024)
      return this.largeObjectLine(buf, start, end);
    // "COPY " at line start, only outside a data block.
    if (
      buf[start] === 0x43 &&
      buf[start + 1] === 0x4f &&
      buf[start + 2] === 0x50 &&
      buf[start + 3] === 0x59 &&
      buf[start + 4] === 0x20
    ) {
      const text = buf.toString("utf8", start, end);
      if (text.endsWith("FROM stdin;")) {
        this.current = tableKey(text.slice(5));
        this.rows = 0;
      }
    }
  }
}

/** `public."Patient" (...)` -> `public.Patient`: the same key as `${schema}.${table}` in a manifest. */
export function tableKey(spec: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < spec.length && parts.length < 2) {
    if (spec[i] === '"') {
      let j = i + 1;
      let name = "";
      while (j < spec.length) {
        if (spec[j] === '"' && spec[j + 1] === '"') {
          name += '"';
          j += 2;
        } else if (spec[j] === '"') break;
        else name += spec[j++];
      }
      parts.push(name);
      i = j + 1;
    } else {
      const m = /^[^."\s(]+/.exec(spec.slice(i));
      if (!m) break;
      parts.push(m[0]);
      i += m[0].length;
    }
    if (spec[i] === ".") i++;
    else break;
  }
  return parts.join(".");
}

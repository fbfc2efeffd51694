// The append path: group commit under a cross-process lock.
//
// append() queues the entry and returns a promise. One flush at a time takes everything queued, assigns seq/ts/prev,
// hashes, writes the whole batch with one write() and one fdatasync(), updates the head file, and only then resolves
// the promises: a resolved append is durable. While a flush waits on the disk, new appends pile up for the next one,
// so the batch size grows with the load and throughput is bounded by the disk's bandwidth rather than its fsync rate.
//
// The lock is held from the first flush of a burst until the queue is empty. Whenever it is (re)taken, the writer
// re-reads whatever another process appended in between (and sets aside a torn tail a crashed writer left), so two
// writers never fork the chain.
import { OUTCOMES, type Actor, type JournalRecord } from "../../shared/api/journal-schemas.ts";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { existsSync, fstatSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { sealRecord, type UnhashedRecord } from "./canonical.ts";
import { acquireFileLock, type FileLock } from "./file-lock.ts";
import { fsyncDir } from "./fsync-dir.ts";
import { localDiskError } from "../process/local-disk-error.ts";
import { HeadWriter, readHead, type HeadFile } from "./head-file.ts";
import { LOCK_FILE, segmentName } from "./journal-paths.ts";
import { GENESIS_PREV, KIND, KIND_PATTERN, type JournalEntryInput } from "./record.ts";
import { cleanEntry, cleanText, truncatedDetails } from "./sanitize.ts";
import { listSegments, readLineAt, readSegmentLines } from "./segment-lines.ts";
import { setAsideTornTail, type TornTail } from "./torn-tail.ts";

export interface WriterOptions {
  dir: string;
  actor?: Actor;
  /** Start a new segment once the current one reaches this size. */
  segmentBytes?: number;
  lockTimeoutMs?: number;
  /** Where timestamps come from. Only tests and demos replace it (to lay out a realistic incident). */
  clock?: () => Date;
}

export interface JournalWarning {
  code: "torn-tail" | "anchor-mismatch" | "anchor-invalid" | "unparseable-line" | "unwritable";
  message: string;
  details?: Record<string, unknown>;
}

interface Pending {
  entry: JournalEntryInput;
  resolve: (r: JournalRecord) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 8192;
/** Details beyond this (in characters of the line) are replaced by a truncated preview. */
const MAX_LINE = 96 * 1024;
const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export function defaultActor(): Actor {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
  return { user, host: hostname() };
}

export class JournalWriter {
  readonly dir: string;
  readonly warnings: JournalWarning[] = [];
  private readonly actor: Actor;
  private readonly segmentBytes: number;
  private readonly lockTimeoutMs: number;
  private readonly lockPath: string;
  private readonly clock: () => Date;

  private fh: FileHandle | undefined;
  private headWriter: HeadWriter | undefined;
  private segment = "";
  private end = 0;
  private lastSeq = 0;
  private lastHash = GENESIS_PREV;
  private lastOffset = 0;
  private openIncident: string | null = null;

  private queue: Pending[] = [];
  /** Findings (torn tail set aside, anchor mismatch) waiting to be written into the chain itself as evidence. */
  private evidence: JournalEntryInput[] = [];
  private flushing: Promise<void> | undefined;
  private lock: FileLock | undefined;
  private closed = false;

  private constructor(opts: WriterOptions) {
    this.dir = opts.dir;
    this.actor = {
      user: cleanText(opts.actor?.user ?? defaultActor().user, 200),
      host: cleanText(opts.actor?.host ?? defaultActor().host, 200),
    };
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 30_000;
    this.lockPath = join(opts.dir, LOCK_FILE);
    this.clock = opts.clock ?? (() => new Date());
  }

  static async open(opts: WriterOptions): Promise<JournalWriter> {
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const w = new JournalWriter(opts);
    w.lock = await acquireFileLock(w.lockPath, w.lockTimeoutMs);
    try {
      await w.loadFromDisk();
      if (w.evidence.length) await w.writeBatch([]);
    } finally {
      w.lock.release();
      w.lock = undefined;
    }
    return w;
  }

  get head(): { seq: number; hash: string } {
    return { seq: this.lastSeq, hash: this.lastHash };
  }

  get currentIncident(): string | undefined {
    return this.openIncident ?? undefined;
  }

  append(entry: JournalEntryInput): Promise<JournalRecord> {
    if (this.closed)
      return Promise.reject(new LifeboatError("INTERNAL", "The journal is closed.", "Open it again before appending."));
    try {
      validateEntry(entry);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.flushing)
        this.flushing = new Promise((done) => setImmediate(() => void this.flushLoop().finally(done)));
    });
  }

  /**
   * Reads what other processes (a CLI next to the console) appended since this writer last wrote, so the open incident
   * and the head are current before a decision is taken on them. The file lock orders it against any batch in flight.
   */
  async refresh(): Promise<void> {
    if (this.closed) return;
    await this.drain();
    const lock = await acquireFileLock(this.lockPath, this.lockTimeoutMs);
    try {
      await this.catchUp();
    } finally {
      lock.release();
    }
  }

  /** Resolves when everything appended so far is durable (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    await this.fh?.close();
    this.fh = undefined;
    this.headWriter?.close();
    this.headWriter = undefined;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        if (!this.lock) {
          this.lock = await acquireFileLock(this.lockPath, this.lockTimeoutMs);
          await this.catchUp();
        }
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const records = await this.writeBatch(batch);
          batch.forEach((p, i) => p.resolve(records[i] as JournalRecord));
          // Let the callers just resolved append their next entries before deciding the burst is over: the lock is
          // kept and the next batch fills up, instead of one lock round-trip per batch.
          if (!this.queue.length) await new Promise<void>((r) => setImmediate(r));
        } catch (e) {
          const err = journalWriteError(e, this.dir);
          batch.forEach((p) => p.reject(err));
          // Re-read from disk next time: part of the batch may have reached the file.
          await this.fh?.close().catch(() => {});
          this.fh = undefined;
          this.lock?.release();
          this.lock = undefined;
        }
      }
    } catch (e) {
      // Could not take the lock or re-read the journal: fail everything queued, nothing was written.
      const err = journalWriteError(e, this.dir);
      for (const p of this.queue.splice(0)) p.reject(err);
    } finally {
      this.lock?.release();
      this.lock = undefined;
      this.flushing = undefined;
      if (this.queue.length)
        this.flushing = new Promise((done) => setImmediate(() => void this.flushLoop().finally(done)));
    }
  }

  /** Full load at open: trust the head file as a starting point only if the record it names is really there. */
  private async loadFromDisk(): Promise<void> {
    const segments = await listSegments(this.dir);
    const head = readHead(this.dir);
    let start: { segmentIndex: number; from: number } = { segmentIndex: 0, from: 0 };
    if (head.state === "ok") {
      const h = head.head;
      const idx = segments.findIndex((s) => s.name === h.segment);
      const line = idx >= 0 ? await readLineAt(segments[idx]!.path, h.offset, h.end) : undefined;
      if (line !== undefined && line.includes(`"seq":${h.seq},`) && line.endsWith(`"hash":"${h.hash}"}`)) {
        this.adopt(h);
        start = { segmentIndex: idx, from: h.end };
      } else {
        this.warn({
          code: "anchor-mismatch",
          message: `The journal no longer contains record #${h.seq} with the hash its head file names: records were removed or rewritten.`,
          details: { head: { seq: h.seq, hash: h.hash, segment: h.segment } },
        });
      }
    } else if (head.state === "invalid" && segments.length) {
      this.warn({
        code: "anchor-invalid",
        message: "The journal's head file is unreadable; the tail could not be checked against it.",
        details: { text: cleanText(head.text, 500) },
      });
    }
    await this.scanFrom(segments, start.segmentIndex, start.from);
  }

  /** After re-taking the lock: read anything another process appended since our last write. */
  private async catchUp(): Promise<void> {
    // Fast path: another writer either grew our segment or started the next one, which is named by our next seq.
    if (
      this.fh &&
      this.segment &&
      fstatSync(this.fh.fd).size === this.end &&
      !existsSync(join(this.dir, segmentName(this.lastSeq + 1)))
    )
      return;
    const segments = await listSegments(this.dir);
    const idx = segments.findIndex((s) => s.name === this.segment);
    if (idx === -1) {
      // Our segment vanished (or we never had one): start over from the head file.
      this.lastSeq = 0;
      this.lastHash = GENESIS_PREV;
      this.openIncident = null;
      await this.fh?.close().catch(() => {});
      this.fh = undefined;
      await this.loadFromDisk();
      return;
    }
    const size = this.fh ? (await this.fh.stat()).size : -1;
    if (size === this.end && idx === segments.length - 1) return;
    await this.scanFrom(segments, idx, this.end);
  }

  private warn(w: JournalWarning): void {
    this.warnings.push(w);
    if (w.code === "torn-tail" || w.code === "anchor-mismatch") {
      this.evidence.push({
        kind: w.code === "torn-tail" ? KIND.tornTail : KIND.anchorMismatch,
        summary: w.message,
        details: w.details ?? {},
        outcome: "info",
      });
    }
  }

  private async scanFrom(segments: { name: string; path: string }[], startIndex: number, from: number): Promise<void> {
    if (!segments.length) {
      this.segment = "";
      this.end = 0;
      return;
    }
    for (let i = startIndex; i < segments.length; i++) {
      const seg = segments[i]!;
      const isLast = i === segments.length - 1;
      const r = await readSegmentLines(seg.path, i === startIndex ? from : 0, (l) => {
        let rec: JournalRecord;
        try {
          rec = JSON.parse(l.line) as JournalRecord;
        } catch {
          this.warn({
            code: "unparseable-line",
            message: `${seg.name} has an unreadable line at byte ${l.offset}.`,
            details: { segment: seg.name, offset: l.offset },
          });
          return;
        }
        if (typeof rec.seq !== "number" || typeof rec.hash !== "string") return;
        this.lastSeq = rec.seq;
        this.lastHash = rec.hash;
        this.lastOffset = l.offset;
        this.segment = seg.name;
        this.trackIncident(rec);
      });
      if (isLast) {
        if (r.tornBytes > 0) {
          const torn: TornTail | undefined = await setAsideTornTail(seg.path, r.end);
          if (torn) {
            this.warn({
              code: "torn-tail",
              message: `A partial record (${torn.bytes} bytes) at the end of ${torn.segment} was set aside to ${torn.file}: the last write was interrupted.`,
              details: { ...torn },
            });
          }
        }
        this.segment = seg.name;
        this.end = r.end;
      }
    }
    await this.fh?.close().catch(() => {});
    this.fh = await open(join(this.dir, this.segment), "a", 0o600);
  }

  private adopt(h: HeadFile): void {
    this.lastSeq = h.seq;
    this.lastHash = h.hash;
    this.segment = h.segment;
    this.lastOffset = h.offset;
    this.end = h.end;
    this.openIncident = h.openIncident;
  }

  private trackIncident(r: { kind: string; incident?: string }): void {
    if (r.kind === KIND.incidentOpen && r.incident) this.openIncident = r.incident;
    else if (r.kind === KIND.incidentClose && r.incident === this.openIncident) this.openIncident = null;
  }

  private async startSegment(firstSeq: number): Promise<void> {
    await this.fh?.close();
    this.segment = segmentName(firstSeq);
    this.fh = await open(join(this.dir, this.segment), "a", 0o600);
    this.end = 0;
    fsyncDir(this.dir);
  }

  /** Writes the queued evidence and then `batch`; returns the records of `batch` only. */
  private async writeBatch(batch: Pending[]): Promise<JournalRecord[]> {
    const entries = [...this.evidence, ...batch.map((p) => p.entry)];
    if (!entries.length) return [];
    // The head file exists before the first record does (see HeadRead "empty"): a crash in between leaves it lagging.
    this.headWriter ??= new HeadWriter(this.dir);
    if (!this.fh || !this.segment || this.end >= this.segmentBytes) await this.startSegment(this.lastSeq + 1);
    const records: JournalRecord[] = [];
    const lines: string[] = [];
    let seq = this.lastSeq;
    let prev = this.lastHash;
    let incident = this.openIncident;
    for (const entry of entries) {
      const clean = cleanEntry(entry, entry.incident ?? incident ?? undefined);
      // One fixed shape for every record (undefined optionals are dropped by JSON.stringify): the fast path.
      const unhashed: UnhashedRecord = {
        v: 1,
        seq: ++seq,
        ts: this.clock().toISOString(),
        actor: this.actor,
        profile: clean.profile,
        incident: clean.incident || undefined,
        kind: entry.kind,
        summary: clean.summary,
        details: clean.details,
        outcome: entry.outcome ?? "info",
        durationMs: entry.durationMs !== undefined ? Math.max(0, Math.round(entry.durationMs)) : undefined,
        prev,
      };
      let { line, hash } = sealRecord(unhashed);
      if (line.length > MAX_LINE) {
        unhashed.details = truncatedDetails(unhashed.details);
        ({ line, hash } = sealRecord(unhashed));
      }
      records.push(returned(unhashed, hash));
      lines.push(line);
      prev = hash;
      if (entry.kind === KIND.incidentOpen && unhashed.incident) incident = unhashed.incident;
      else if (entry.kind === KIND.incidentClose && unhashed.incident === incident) incident = null;
    }
    const buf = Buffer.from(`${lines.join("\n")}\n`);
    // Only the last line's position is needed (for the head file), so only it is measured separately.
    const offset = this.end + buf.length;
    const lastOffset = offset - Buffer.byteLength(lines[lines.length - 1] as string) - 1;
    let written = 0;
    while (written < buf.length) {
      const { bytesWritten } = await this.fh!.write(buf, written, buf.length - written);
      written += bytesWritten;
    }
    await this.fh!.datasync();
    this.lastSeq = seq;
    this.lastHash = prev;
    this.end = offset;
    this.lastOffset = lastOffset;
    this.openIncident = incident;
    this.headWriter.write({
      seq,
      hash: prev,
      segment: this.segment,
      offset: lastOffset,
      end: offset,
      openIncident: incident,
    });
    const evidenceCount = this.evidence.length;
    this.evidence = [];
    return records.slice(evidenceCount);
  }
}

/** A failure to write the journal, naming the folder and the cause (disk full, read-only, permissions). */
export function journalWriteError(e: unknown, dir: string): LifeboatError {
  return localDiskError(
    e,
    dir,
    "write the journal",
    `Free some space on that disk (or remount it read-write, or fix its permissions); LIFEBOAT_JOURNAL_DIR moves the journal elsewhere. Read-only commands (lifeboat backups, journal list) still work.`,
    "JOURNAL_WRITE_FAILED",
  );
}

/** The record as callers see it. Absent optionals are present as undefined (deleting keys costs more than the rest). */
function returned(r: UnhashedRecord, hash: string): JournalRecord {
  const out = r as JournalRecord;
  out.hash = hash;
  return out;
}

/** Kinds already checked against KIND_PATTERN (the regex shows up in profiles of bursts otherwise). */
const validKinds = new Set<string>();

function validateEntry(e: JournalEntryInput): void {
  const bad = (what: string) =>
    new LifeboatError(
      "INTERNAL",
      `Invalid journal entry: ${what}.`,
      "This is a bug in the caller; the entry was not written.",
    );
  if (!e || typeof e.kind !== "string") throw bad(`kind ${JSON.stringify(e?.kind)}`);
  if (!validKinds.has(e.kind)) {
    if (!KIND_PATTERN.test(e.kind) || e.kind.length > 64) throw bad(`kind ${JSON.stringify(e.kind)}`);
    if (validKinds.size < 10_000) validKinds.add(e.kind);
  }
  if (typeof e.summary !== "string") throw bad("summary must be a string");
  if (e.outcome !== undefined && !OUTCOMES.includes(e.outcome)) throw bad(`outcome ${JSON.stringify(e.outcome)}`);
  if (e.durationMs !== undefined && !(Number.isFinite(e.durationMs) && e.durationMs >= 0)) throw bad("durationMs");
  if (e.details !== undefined && (typeof e.details !== "object" || e.details === null || Array.isArray(e.details)))
    throw bad("details must be an object");
}

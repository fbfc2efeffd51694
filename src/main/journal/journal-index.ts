// A rebuildable sidecar index, so that a journal of a million records can be filtered in milliseconds. The JSONL
// segments stay the only source of truth: the index is derived from them deterministically, checked against them on
// every open (segment sizes, and the last indexed record's hash), and rebuilt from scratch whenever it disagrees.
//
// <journal>/index/
//   records.bin  40 bytes per record: ts (f64 ms), text offset (f64), seq, byte offset, line length, incident id,
//                kind id | profile id << 16, segment number | outcome << 16  (u32 each, little-endian)
//   text.bin     one lower-cased line per record: what text search looks at (search-text.ts)
//   blooms.bin   4 KiB of trigram bits per 512 records, so text search skips blocks that cannot match (text-blooms.ts)
//   meta.json    counts, the last indexed record (seq, hash), per-segment indexed byte ends, the dictionaries
//                (kinds, incidents, profiles) and a summary of every incident; written last, so it is the commit point.
import {
  OUTCOMES,
  type IncidentInfo,
  type JournalRecord,
  type JournalOutcome,
} from "../../shared/api/journal-schemas.ts";
import { mkdir, open, readFile, rename, stat, writeFile, type FileHandle } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireFileLock } from "./file-lock.ts";
import { INDEX_DIR } from "./journal-paths.ts";
import { KIND } from "./record.ts";
import { searchTextOf } from "./search-text.ts";
import { listSegments, readLineAt, readSegmentLines, type SegmentInfo } from "./segment-lines.ts";
import { BLOOM_BYTES, BLOOM_RECORDS, needleTrigrams, TextBlooms } from "./text-blooms.ts";

const ENTRY_BYTES = 40;
const F64_PER_ENTRY = ENTRY_BYTES / 8;
const U32_PER_ENTRY = ENTRY_BYTES / 4;
const META_VERSION = 2;

interface Meta {
  v: number;
  count: number;
  lastSeq: number;
  lastHash: string;
  textBytes: number;
  segments: { name: string; end: number }[];
  kinds: string[];
  incidents: string[];
  profiles: string[];
  incidentInfo: Record<string, IncidentInfo>;
}

function emptyMeta(): Meta {
  return {
    v: META_VERSION,
    count: 0,
    lastSeq: 0,
    lastHash: "",
    textBytes: 0,
    segments: [],
    kinds: [],
    incidents: [],
    profiles: [],
    incidentInfo: {},
  };
}

export interface IndexFilter {
  incident?: string;
  kind?: string;
  profile?: string;
  outcome?: JournalOutcome;
  sinceMs?: number;
  untilMs?: number;
  fromSeq?: number;
  toSeq?: number;
}

export interface EntryLocation {
  seq: number;
  segment: string;
  path: string;
  offset: number;
  length: number;
}

/** The index of a journal folder: where it lives. Falls back to a temp folder when the journal is read-only. */
async function indexDirFor(journalDir: string): Promise<string> {
  const preferred = join(journalDir, INDEX_DIR);
  try {
    await mkdir(preferred, { recursive: true, mode: 0o700 });
    const probe = join(preferred, `.probe-${process.pid}`);
    await writeFile(probe, "");
    await import("node:fs/promises").then((fs) => fs.unlink(probe));
    return preferred;
  } catch {
    const fallback = join(
      tmpdir(),
      `lifeboat-journal-index-${createHash("sha256").update(journalDir).digest("hex").slice(0, 16)}`,
    );
    await mkdir(fallback, { recursive: true, mode: 0o700 });
    return fallback;
  }
}

export class JournalIndex {
  /** Bytes of text.bin scanned per read; small values let tests put matches across chunk boundaries. */
  static textChunkBytes = 8 << 20;
  readonly warnings: string[] = [];
  private meta: Meta = emptyMeta();
  private buf = new ArrayBuffer(0);
  private f64 = new Float64Array(0);
  private u32 = new Uint32Array(0);
  private kindIds = new Map<string, number>();
  private incidentIds = new Map<string, number>();
  private profileIds = new Map<string, number>();
  private persistedCount = 0;
  private segmentPaths: string[] = [];
  private blooms = new TextBlooms();

  private constructor(
    readonly journalDir: string,
    readonly indexDir: string,
  ) {}

  static async open(journalDir: string): Promise<JournalIndex> {
    const ix = new JournalIndex(journalDir, await indexDirFor(journalDir));
    await ix.refresh(true);
    return ix;
  }

  get count(): number {
    return this.meta.count;
  }

  get lastSeq(): number {
    return this.meta.lastSeq;
  }

  get lastHash(): string {
    return this.meta.lastHash;
  }

  incidents(): IncidentInfo[] {
    return Object.values(this.meta.incidentInfo);
  }

  incident(id: string): IncidentInfo | undefined {
    return this.meta.incidentInfo[id];
  }

  seqAt(i: number): number {
    return this.u32[i * U32_PER_ENTRY + 4] as number;
  }

  tsAt(i: number): number {
    return this.f64[i * F64_PER_ENTRY] as number;
  }

  /** Raw accessors for hot loops (no object per entry). */
  segmentNoAt(i: number): number {
    return (this.u32[i * U32_PER_ENTRY + 9] as number) & 0xffff;
  }

  offsetAt(i: number): number {
    return this.u32[i * U32_PER_ENTRY + 5] as number;
  }

  lengthAt(i: number): number {
    return this.u32[i * U32_PER_ENTRY + 6] as number;
  }

  /** Bytes of the entry's search text in text.bin, without its newline. */
  textLengthAt(i: number): number {
    const next = i + 1 < this.meta.count ? (this.f64[(i + 1) * F64_PER_ENTRY + 1] as number) : this.meta.textBytes;
    return next - (this.f64[i * F64_PER_ENTRY + 1] as number) - 1;
  }

  segmentPath(segNo: number): string {
    const cached = this.segmentPaths[segNo];
    if (cached) return cached;
    return (this.segmentPaths[segNo] = join(this.journalDir, this.meta.segments[segNo]!.name));
  }

  location(i: number): EntryLocation {
    const w = i * U32_PER_ENTRY;
    const segment = this.meta.segments[(this.u32[w + 9] as number) & 0xffff]!.name;
    return {
      seq: this.u32[w + 4] as number,
      segment,
      path: join(this.journalDir, segment),
      offset: this.u32[w + 5] as number,
      length: this.u32[w + 6] as number,
    };
  }

  /** Indices of entries matching every given field, in seq order. */
  filter(f: IndexFilter): Uint32Array {
    const n = this.meta.count;
    const out = new Uint32Array(n);
    let k = 0;
    const incident = f.incident !== undefined ? (this.incidentIds.get(f.incident) ?? -1) + 1 : undefined;
    if (incident === 0) return out.subarray(0, 0);
    const profile = f.profile !== undefined ? this.profileIds.get(f.profile) : undefined;
    if (f.profile !== undefined && profile === undefined) return out.subarray(0, 0);
    let kinds: Uint8Array | undefined;
    if (f.kind !== undefined) {
      kinds = new Uint8Array(this.meta.kinds.length);
      const prefix = f.kind.endsWith("*") ? f.kind.slice(0, -1) : f.kind.endsWith(".") ? f.kind : undefined;
      this.meta.kinds.forEach((name, id) => {
        if (prefix !== undefined ? name.startsWith(prefix) : name === f.kind) kinds![id] = 1;
      });
    }
    const outcome = f.outcome !== undefined ? OUTCOMES.indexOf(f.outcome) : -1;
    const since = f.sinceMs ?? -Infinity;
    const until = f.untilMs ?? Infinity;
    const fromSeq = f.fromSeq ?? 0;
    const toSeq = f.toSeq ?? Infinity;
    const u32 = this.u32;
    const f64 = this.f64;
    for (let i = 0; i < n; i++) {
      const w = i * U32_PER_ENTRY;
      if (incident !== undefined && u32[w + 7] !== incident) continue;
      const kp = u32[w + 8] as number;
      if (kinds && kinds[kp & 0xffff] !== 1) continue;
      if (profile !== undefined && kp >>> 16 !== profile) continue;
      if (outcome >= 0 && (u32[w + 9] as number) >>> 16 !== outcome) continue;
      const seq = u32[w + 4] as number;
      if (seq < fromSeq || seq > toSeq) continue;
      const ts = f64[i * F64_PER_ENTRY] as number;
      if (ts < since || ts > until) continue;
      out[k++] = i;
    }
    return out.subarray(0, k);
  }

  /**
   * Marks entries whose search text contains `needle` (already lower-cased). Scans text.bin in chunks, so memory stays
   * bounded whatever the journal's size; after a hit it skips to the next record's line.
   */
  async searchText(needle: string): Promise<Uint8Array> {
    const count = this.meta.count;
    const hits = new Uint8Array(count);
    const n = Buffer.from(needle, "utf8");
    if (n.length === 0 || count === 0) return hits.fill(1);
    const trigrams = needleTrigrams(n);
    const blocks = this.blooms.blocksFor(count);
    const pass = (b: number) => trigrams.length === 0 || this.blooms.mayContain(b, trigrams);
    const textStart = (entry: number) =>
      entry < count ? (this.f64[entry * F64_PER_ENTRY + 1] as number) : this.meta.textBytes;
    const fh = await open(join(this.indexDir, "text.bin"), "r");
    try {
      // Runs of consecutive candidate blocks are scanned as one byte range of text.bin.
      for (let b = 0; b < blocks; b++) {
        if (!pass(b)) continue;
        let e = b;
        while (e + 1 < blocks && pass(e + 1)) e++;
        await this.scanText(
          fh,
          n,
          b * BLOOM_RECORDS,
          textStart(b * BLOOM_RECORDS),
          textStart((e + 1) * BLOOM_RECORDS),
          hits,
        );
        b = e;
      }
    } finally {
      await fh.close();
    }
    return hits;
  }

  /** Marks entries whose text in [from, to) of text.bin contains `n`, reading in chunks; skips to the next record after a hit. */
  private async scanText(
    fh: FileHandle,
    n: Buffer,
    firstEntry: number,
    from: number,
    to: number,
    hits: Uint8Array,
  ): Promise<void> {
    const CHUNK = Math.max(JournalIndex.textChunkBytes, 1);
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, to - from) + n.length);
    let entry = firstEntry;
    for (let base = from; base < to; base += CHUNK) {
      const want = Math.min(CHUNK + n.length - 1, to - base);
      const { bytesRead } = await fh.read(buf, 0, want, base);
      const view = buf.subarray(0, bytesRead);
      const limit = Math.min(CHUNK, bytesRead);
      let at = view.indexOf(n, 0);
      while (at !== -1 && at < limit) {
        entry = this.entryAtText(base + at, entry);
        hits[entry] = 1;
        const next =
          (entry + 1 < this.meta.count ? (this.f64[(entry + 1) * F64_PER_ENTRY + 1] as number) : this.meta.textBytes) -
          base;
        if (next >= limit) break;
        at = view.indexOf(n, next);
      }
    }
  }

  /** The entry whose text line contains byte `pos`, searching forward from `hint` (positions only grow): gallop, then bisect. */
  private entryAtText(pos: number, hint: number): number {
    const count = this.meta.count;
    const f64 = this.f64;
    let lo = hint;
    let step = 1;
    let hi = lo + step;
    while (hi < count && (f64[hi * F64_PER_ENTRY + 1] as number) <= pos) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    hi = Math.min(hi, count) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((f64[mid * F64_PER_ENTRY + 1] as number) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Throws the index away and builds it again from the segments. */
  async rebuild(reason: string): Promise<void> {
    this.warnings.push(`index rebuilt: ${reason}`);
    this.reset();
    const lock = await acquireFileLock(join(this.indexDir, "index.lock"), 120_000);
    try {
      await this.catchUp(await listSegments(this.journalDir));
    } finally {
      lock.release();
    }
  }

  /** Brings the index up to date with the journal; rebuilds it when it no longer matches. */
  async refresh(initial = false): Promise<void> {
    const segments = await listSegments(this.journalDir);
    if (!initial && !(await this.changed(segments))) return;
    const lock = await acquireFileLock(join(this.indexDir, "index.lock"), 120_000);
    try {
      const onDisk = await this.readMeta();
      if (initial || (onDisk && (onDisk.count !== this.meta.count || onDisk.lastHash !== this.meta.lastHash))) {
        if (onDisk) await this.load(onDisk);
        else this.reset();
      }
      const problem = await this.mismatch(segments);
      if (problem) {
        if (this.meta.count > 0 || initial) this.warnings.push(`index rebuilt: ${problem}`);
        this.reset();
      }
      await this.catchUp(segments);
    } finally {
      lock.release();
    }
  }

  private async changed(segments: SegmentInfo[]): Promise<boolean> {
    const known = this.meta.segments;
    if (segments.length !== known.length) return true;
    if (!segments.length) return false;
    const last = segments[segments.length - 1]!;
    if (last.name !== known[known.length - 1]!.name) return true;
    return (await stat(last.path)).size !== known[known.length - 1]!.end;
  }

  private async readMeta(): Promise<Meta | undefined> {
    try {
      const m = JSON.parse(await readFile(join(this.indexDir, "meta.json"), "utf8")) as Meta;
      return m.v === META_VERSION ? m : undefined;
    } catch {
      return undefined;
    }
  }

  private async load(m: Meta): Promise<void> {
    this.reset();
    if (!(await this.loadFiles(m))) this.reset();
  }

  /** Reads records.bin and blooms.bin for `m`; false (and nothing adopted) when they are short or missing. */
  private async loadFiles(m: Meta): Promise<boolean> {
    let fh: FileHandle | undefined;
    try {
      fh = await open(join(this.indexDir, "records.bin"), "r");
      const bytes = m.count * ENTRY_BYTES;
      this.ensureCapacity(m.count);
      const { bytesRead } = await fh.read(new Uint8Array(this.buf), 0, bytes, 0);
      if (bytesRead !== bytes) return false;
      if ((await stat(join(this.indexDir, "text.bin"))).size < m.textBytes) return false;
      const bloomBytes = this.blooms.blocksFor(m.count) * BLOOM_BYTES;
      const bf = await open(join(this.indexDir, "blooms.bin"), "r");
      try {
        this.blooms.ensure(this.blooms.blocksFor(m.count));
        if ((await bf.read(this.blooms.bits, 0, bloomBytes, 0)).bytesRead !== bloomBytes) return false;
      } finally {
        await bf.close();
      }
    } catch {
      return false;
    } finally {
      await fh?.close();
    }
    this.meta = m;
    this.segmentPaths = [];
    this.persistedCount = m.count;
    m.kinds.forEach((k, i) => this.kindIds.set(k, i));
    m.incidents.forEach((k, i) => this.incidentIds.set(k, i));
    m.profiles.forEach((k, i) => this.profileIds.set(k, i));
    return true;
  }

  private reset(): void {
    this.segmentPaths = [];
    this.blooms.clear();
    this.meta = emptyMeta();
    this.persistedCount = 0;
    this.kindIds.clear();
    this.incidentIds.clear();
    this.profileIds.clear();
  }

  /** Why the loaded index does not describe these segments any more, or undefined when it does. */
  private async mismatch(segments: SegmentInfo[]): Promise<string | undefined> {
    const known = this.meta.segments;
    if (known.length > segments.length) return "segments were removed";
    for (let i = 0; i < known.length; i++) {
      const s = segments[i]!;
      if (s.name !== known[i]!.name) return `segment ${known[i]!.name} was replaced`;
      const size = (await stat(s.path)).size;
      if (size < known[i]!.end || (i < known.length - 1 && size !== known[i]!.end))
        return `segment ${s.name} changed size`;
    }
    if (this.meta.count > 0) {
      const loc = this.location(this.meta.count - 1);
      const line = await readLineAt(loc.path, loc.offset, loc.offset + loc.length);
      if (!line?.endsWith(`"hash":"${this.meta.lastHash}"}`))
        return `the last indexed record (#${this.meta.lastSeq}) changed`;
    }
    return undefined;
  }

  private ensureCapacity(entries: number): void {
    const have = this.buf.byteLength / ENTRY_BYTES;
    if (entries <= have) return;
    // Grown in whole entries, so the typed views always fit exactly.
    const grown = new ArrayBuffer(Math.max(entries, Math.ceil(have * 1.5), 4096) * ENTRY_BYTES);
    new Uint8Array(grown).set(new Uint8Array(this.buf));
    this.buf = grown;
    this.f64 = new Float64Array(grown);
    this.u32 = new Uint32Array(grown);
  }

  private idOf(map: Map<string, number>, list: string[], key: string): number {
    let id = map.get(key);
    if (id === undefined) {
      id = list.length;
      list.push(key);
      map.set(key, id);
    }
    return id;
  }

  private async catchUp(segments: SegmentInfo[]): Promise<void> {
    const m = this.meta;
    const startCount = m.count;
    const textFh = await open(join(this.indexDir, "text.bin"), m.textBytes === 0 ? "w" : "r+");
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    let textPos = m.textBytes;
    const flushText = async () => {
      if (!pendingBytes) return;
      const b = Buffer.concat(pending, pendingBytes);
      await textFh.write(b, 0, b.length, textPos);
      textPos += b.length;
      pending.length = 0;
      pendingBytes = 0;
    };
    try {
      for (let si = Math.max(0, m.segments.length - 1); si < segments.length; si++) {
        const seg = segments[si]!;
        if (si >= m.segments.length) m.segments.push({ name: seg.name, end: 0 });
        const segNo = si;
        const from = m.segments[si]!.end;
        const r = await readSegmentLines(seg.path, from, (l) => {
          let rec: JournalRecord;
          try {
            rec = JSON.parse(l.line) as JournalRecord;
          } catch {
            return;
          }
          if (typeof rec.seq !== "number") return;
          this.add(rec, segNo, l.offset, l.end - l.offset - 1, m.textBytes);
          const text = Buffer.from(`${searchTextOf(rec)}\n`, "utf8");
          this.blooms.add(m.count - 1, text, text.length - 1);
          pending.push(text);
          pendingBytes += text.length;
          m.textBytes += text.length;
        });
        await flushText();
        m.segments[si]!.end = r.end;
      }
      await flushText();
    } finally {
      await textFh.close();
    }
    if (m.count !== startCount || startCount === 0) await this.persist();
  }

  private add(r: JournalRecord, segNo: number, offset: number, length: number, textOffset: number): void {
    const m = this.meta;
    const i = m.count;
    this.ensureCapacity(i + 1);
    const f = i * F64_PER_ENTRY;
    const w = i * U32_PER_ENTRY;
    const ts = Date.parse(r.ts);
    this.f64[f] = Number.isFinite(ts) ? ts : 0;
    this.f64[f + 1] = textOffset;
    this.u32[w + 4] = r.seq;
    this.u32[w + 5] = offset;
    this.u32[w + 6] = length;
    this.u32[w + 7] = r.incident ? this.idOf(this.incidentIds, m.incidents, r.incident) + 1 : 0;
    const kind = this.idOf(this.kindIds, m.kinds, String(r.kind));
    const profile = r.profile ? this.idOf(this.profileIds, m.profiles, r.profile) : 0xffff;
    this.u32[w + 8] = (kind & 0xffff) | ((profile & 0xffff) << 16);
    this.u32[w + 9] = (segNo & 0xffff) | ((Math.max(0, OUTCOMES.indexOf(r.outcome)) & 0xff) << 16);
    m.count = i + 1;
    m.lastSeq = r.seq;
    m.lastHash = r.hash;
    if (r.incident) this.noteIncident(r);
  }

  private noteIncident(r: JournalRecord): void {
    const id = r.incident as string;
    const info = (this.meta.incidentInfo[id] ??= { id, records: 0 });
    info.records++;
    const d = r.details ?? {};
    if (r.kind === KIND.incidentOpen) {
      info.openSeq = r.seq;
      info.openedAt = r.ts;
      if (typeof d.title === "string") info.title = d.title;
      if (typeof d.severity === "string") info.severity = d.severity;
      if (typeof d.scenario === "string") info.scenario = d.scenario;
      if (typeof d.detectedAt === "string") info.detectedAt = d.detectedAt;
      if (d.drill === true) info.drill = true;
    } else if (r.kind === KIND.detectedAt && typeof d.detectedAt === "string") {
      info.detectedAt = d.detectedAt;
    } else if (r.kind === KIND.serviceRestored && !info.restoredAt) {
      info.restoredAt = typeof d.at === "string" ? d.at : r.ts;
    } else if (r.kind === KIND.incidentClose) {
      info.closeSeq = r.seq;
      info.closedAt = r.ts;
    }
  }

  private async persist(): Promise<void> {
    const m = this.meta;
    const fh = await open(join(this.indexDir, "records.bin"), this.persistedCount === 0 ? "w" : "r+");
    try {
      const from = this.persistedCount * ENTRY_BYTES;
      const to = m.count * ENTRY_BYTES;
      if (to > from) await fh.write(new Uint8Array(this.buf, from, to - from), 0, to - from, from);
    } finally {
      await fh.close();
    }
    // The block holding the first new record may have been persisted half full: rewrite from there.
    const bf = await open(join(this.indexDir, "blooms.bin"), this.persistedCount === 0 ? "w" : "r+");
    try {
      const from = Math.floor(this.persistedCount / BLOOM_RECORDS) * BLOOM_BYTES;
      const to = this.blooms.blocksFor(m.count) * BLOOM_BYTES;
      if (to > from) await bf.write(this.blooms.bits, from, to - from, from);
    } finally {
      await bf.close();
    }
    const path = join(this.indexDir, "meta.json");
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(m));
    await rename(tmp, path);
    this.persistedCount = m.count;
  }
}

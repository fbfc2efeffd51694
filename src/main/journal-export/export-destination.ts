// Where an export goes: returned as text (a window downloads it), streamed to the caller's output (the terminal's
// stdout), or written to a file that never replaces an existing one and never survives half-written.
import type { ExportFormat, ExportSummary } from "../../shared/api/channels/journal-channels.ts";
import { mkdir, open, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { LifeboatError } from "../../shared/errors.ts";
import type { Journal } from "../journal/journal.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { exportJournal } from "./export-journal.ts";
import type { ExportScope } from "./export-scope.ts";

const TEXT_LIMIT = 8 * 1024 * 1024;

export type ExportDestination =
  | { kind: "text" }
  | { kind: "stream"; out: Writable }
  /** `file`, or the default name in `dir`; `createDir` makes the folder (the session's own exports folder). */
  | { kind: "file"; file?: string; dir: string; createDir?: boolean };

export interface ExportRequest extends ExportScope {
  format: ExportFormat;
  /** Records the export (with its digest) here; none for a journal opened only to be read. */
  journal?: Journal;
  now?: Date;
}

/** lifeboat-<incident or "journal">-<UTC time>.<format> */
export function defaultExportName(o: { incident?: string; format: ExportFormat }, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `lifeboat-${o.incident ?? "journal"}-${stamp}.${o.format}`;
}

/** Collects an export in memory, refusing one too large to hand to a window. */
class TextCollector extends Writable {
  private chunks: Buffer[] = [];
  private size = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error) => void): void {
    this.size += chunk.length;
    if (this.size > TEXT_LIMIT)
      return cb(
        new LifeboatError(
          "USAGE",
          `The export is larger than ${TEXT_LIMIT / 1024 / 1024} MiB.`,
          "Export it to a file, or narrow it to an incident or a time range.",
        ),
      );
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Never overwrites: an export handed out earlier must not be silently replaced. */
async function createExportFile(file: string): Promise<FileHandle> {
  try {
    return await open(file, "wx", 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST")
      throw new LifeboatError(
        "USAGE",
        `${file} already exists.`,
        "Choose another file; exports are never overwritten.",
      );
    throw new LifeboatError(
      "USAGE",
      `Cannot create ${file}: ${(e as Error).message}`,
      "Check the folder exists and is writable, or export to stdout (--out -).",
    );
  }
}

export async function exportJournalTo(
  reader: JournalReader,
  req: ExportRequest,
  dest: ExportDestination,
): Promise<ExportSummary & { text?: string; file?: string }> {
  const { now, ...opts } = req;
  if (dest.kind === "text") {
    const sink = new TextCollector();
    const summary = await exportJournal(reader, opts, sink);
    return { ...summary, text: sink.text() };
  }
  if (dest.kind === "stream") return exportJournal(reader, opts, dest.out);
  if (dest.createDir) await mkdir(dest.dir, { recursive: true, mode: 0o700 });
  const file = dest.file ?? join(dest.dir, defaultExportName(req, now));
  const fh = await createExportFile(file);
  const out = fh.createWriteStream();
  let failed = true;
  try {
    const summary = await exportJournal(reader, { ...opts, file }, out);
    out.end();
    await finished(out);
    failed = false;
    return { ...summary, file };
  } finally {
    if (failed) {
      out.destroy();
      await fh.close().catch(() => undefined);
      // A half-written export is worse than none: it would fail verification later, far from the cause.
      await unlink(file).catch(() => undefined);
    }
  }
}

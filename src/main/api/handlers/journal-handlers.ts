import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { LifeboatError } from "../../../shared/errors.ts";
import { exportJournal } from "../../journal/export/export-journal.ts";
import { verifyJournal } from "../../journal/verify-journal.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { journalPage } from "../journal-page.ts";

const TEXT_LIMIT = 8 * 1024 * 1024;

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
          'Export it to a file (destination "file"), or narrow it to an incident or a time range.',
        ),
      );
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

export const journalHandlers: HandlerGroup<"journal.query" | "journal.get" | "journal.verify" | "journal.export"> = {
  "journal.query": async (req, ctx) => journalPage(ctx.reader(), req),
  "journal.get": async ({ seq }, ctx) => (await ctx.reader().get(seq)) ?? null,
  "journal.verify": async (_req, ctx) => {
    const journal = await ctx.journal();
    const r = await verifyJournal(journal.dir);
    await journal.append({
      kind: "journal.verify",
      summary: `Journal verified: ${r.ok ? "intact" : `${r.problems.length} problem(s)`} (${r.records} records)`,
      details: { ok: r.ok, records: r.records, lastSeq: r.lastSeq, lastHash: r.lastHash },
      outcome: r.ok ? "ok" : "failed",
    });
    return r;
  },
  "journal.export": async ({ format, incident, since, until, destination }, ctx) => {
    const scope = { ...(incident ? { incident } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}) };
    const journal = await ctx.journal();
    if (destination === "text") {
      const sink = new TextCollector();
      const summary = await exportJournal(journal, { ...scope, format, journal }, sink);
      return { ...summary, text: sink.text() };
    }
    const dir = ctx.exportsDir();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stamp = ctx.now().toISOString().replace(/[:.]/g, "-");
    // The name is Lifeboat's, never the renderer's: a window cannot choose where files are written.
    const file = join(dir, `lifeboat-journal-${incident ?? "all"}-${stamp}.${format}`);
    const fh = await open(file, "wx", 0o600);
    const out = fh.createWriteStream();
    try {
      const summary = await exportJournal(journal, { ...scope, format, file, journal }, out);
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      return { ...summary, file };
    } finally {
      out.destroy();
      await fh.close().catch(() => undefined);
    }
  },
};

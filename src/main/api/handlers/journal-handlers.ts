import type { JournalAnchor } from "../../../shared/api/channels/journal-channels.ts";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { EXIT_CODES, exitCodeFor, isLifeboatError, LifeboatError } from "../../../shared/errors.ts";
import { checkLine, lineOfRecord } from "../../journal/canonical.ts";
import { exportJournalTo, type ExportDestination } from "../../journal-export/export-destination.ts";
import { verifyExportFile } from "../../journal-export/verify-export.ts";
import { journalPage } from "../../journal/journal-page.ts";
import { parseAnchor, verifyJournal } from "../../journal/verify-journal.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

/** Where journal.export writes: the session's exports folder; only the terminal may name a path (--out). */
async function destinationOf(
  req: { destination: "text" | "file" | "stream"; out?: string | undefined },
  ctx: HandlerContext,
): Promise<ExportDestination> {
  if (req.out !== undefined && ctx.deps.shell !== "cli")
    throw new LifeboatError(
      "USAGE",
      "A window cannot choose where an export is written.",
      "Leave out `out`: file exports go into the exports folder.",
    );
  if (req.destination === "text") return { kind: "text" };
  if (req.destination === "stream") {
    if (!ctx.output)
      throw new LifeboatError(
        "USAGE",
        "This caller has no output to stream an export to.",
        'Use destination "text" or "file".',
      );
    return { kind: "stream", out: ctx.output };
  }
  if (req.out === undefined) return { kind: "file", dir: ctx.exportsDir(), createDir: true };
  const out = resolve(req.out);
  const isDir = (await stat(out).catch(() => undefined))?.isDirectory();
  return isDir ? { kind: "file", dir: out } : { kind: "file", dir: out, file: out };
}

export const journalHandlers: HandlerGroup<
  "journal.query" | "journal.get" | "journal.show" | "journal.verify" | "journal.verifyExport" | "journal.export"
> = {
  "journal.query": async (req, ctx) => journalPage(ctx.reader(), req),
  "journal.get": async ({ seq }, ctx) => (await ctx.reader().get(seq)) ?? null,
  "journal.show": async ({ seq }, ctx) => {
    const record = await ctx.reader().get(seq);
    if (!record)
      throw new LifeboatError(
        "USAGE",
        `There is no record #${seq} in this journal.`,
        "See `lifeboat journal list` for the numbers in use.",
      );
    return { record, hashOk: checkLine(lineOfRecord(record)).ok };
  },
  "journal.verify": async ({ anchors }, ctx) => {
    // The chain is checked before anything is recorded: verification never starts by writing.
    const r = await verifyJournal(ctx.reader().dir, {
      anchors: (anchors ?? []).map((a) => parseAnchor(a) as JournalAnchor),
    });
    try {
      await (
        await ctx.writableJournal()
      )?.append({
        kind: "journal.verify",
        summary: `Journal verified: ${r.ok ? "intact" : `${r.problems.length} problem(s)`} (${r.records} records)`,
        details: { ok: r.ok, records: r.records, lastSeq: r.lastSeq, lastHash: r.lastHash },
        outcome: r.ok ? "ok" : "failed",
      });
    } catch (e) {
      // A journal on a full or read-only disk can still be checked: the check stands, only its record is missing.
      if (!isLifeboatError(e) || exitCodeFor(e.code) !== EXIT_CODES.LOCAL) throw e;
      return { ...r, warnings: [...r.warnings, `this verification is NOT recorded in the journal: ${e.message}`] };
    }
    return r;
  },
  "journal.verifyExport": async ({ file }) => verifyExportFile(resolve(file)),
  "journal.export": async (req, ctx) => {
    const { format, incident, since, until, kind, profile, outcome, text } = req;
    const journal = await ctx.writableJournal();
    return exportJournalTo(
      journal ?? ctx.reader(),
      {
        format,
        ...(incident ? { incident } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
        ...(kind ? { kind } : {}),
        ...(profile ? { profile } : {}),
        ...(outcome ? { outcome } : {}),
        ...(text ? { text } : {}),
        ...(journal ? { journal } : {}),
        now: ctx.now(),
      },
      await destinationOf(req, ctx),
    );
  },
};

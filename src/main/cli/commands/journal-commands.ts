// `lifeboat journal list|show|search|verify|export`: reading, checking and exporting the operator journal. Reading
// commands never write (no lock, no repair), so they are safe on a copied journal (--dir) and while the app runs.
import { open, unlink, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import { exitCodeFor, LifeboatError } from "../../../shared/errors.ts";
import { checkLine, lineOfRecord } from "../../journal/canonical.ts";
import {
  EXPORT_FORMATS,
  exportJournal,
  type ExportFormat,
  type ExportSummary,
} from "../../journal/export/export-journal.ts";
import { verifyExportFile, type ExportVerifyResult } from "../../journal/export/verify-export.ts";
import { fmtDuration } from "../../journal/export/export-format.ts";
import { openJournalReader, type JournalReader, type OpenJournal, type PageQuery } from "../../journal/journal.ts";
import { resolveJournalDir } from "../../journal/journal-paths.ts";
import { OUTCOMES, type JournalRecord, type Outcome } from "../../journal/record.ts";
import { parseAnchor, verifyJournal, type Anchor, type JournalVerifyResult } from "../../journal/verify-journal.ts";
import type { CliContext } from "../cli-context.ts";
import { printResult, table } from "../output.ts";
import { collect, positiveInt } from "./option-helpers.ts";

interface FilterOptions {
  dir?: string;
  incident?: string;
  kind?: string;
  profile?: string;
  outcome?: string;
  since?: string;
  until?: string;
  limit: number;
  first?: boolean;
}

function withFilters(cmd: Command): Command {
  return cmd
    .option("--dir <path>", "journal folder (default: LIFEBOAT_JOURNAL_DIR or the user data folder)")
    .option("-i, --incident <id>", "only this incident's records")
    .option("-k, --kind <kind>", 'only this kind, or a prefix ending in "." or "*" (backup., neon.*)')
    .option("-p, --profile <name>", "only this profile's records")
    .option("--outcome <outcome>", `only this outcome (${OUTCOMES.join(", ")})`)
    .option("--since <time>", "from this time (ISO 8601)")
    .option("--until <time>", "up to this time (ISO 8601)")
    .option("-n, --limit <n>", "how many records to show", positiveInt, 50)
    .option("--first", "show the oldest matches instead of the newest");
}

function readerFor(ctx: CliContext, dir?: string): JournalReader {
  return openJournalReader(resolveJournalDir(dir, ctx.io.env));
}

function toQuery(o: FilterOptions, text?: string): PageQuery {
  if (o.outcome !== undefined && !OUTCOMES.includes(o.outcome as Outcome)) {
    throw new LifeboatError(
      "USAGE",
      `--outcome "${o.outcome}" is not one of ${OUTCOMES.join(", ")}.`,
      "Pick one of the listed outcomes.",
    );
  }
  return {
    ...(o.incident ? { incident: o.incident } : {}),
    ...(o.kind ? { kind: o.kind } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.outcome ? { outcome: o.outcome as Outcome } : {}),
    ...(o.since ? { since: o.since } : {}),
    ...(o.until ? { until: o.until } : {}),
    ...(text ? { text } : {}),
    limit: o.limit,
    newest: !o.first,
  };
}

function recordTable(records: JournalRecord[], total: number): string {
  if (!records.length) return "no matching records";
  const rows = records.map((r) => [
    String(r.seq),
    r.ts.replace("T", " ").slice(0, 19),
    r.actor.user,
    r.kind,
    r.outcome,
    r.durationMs !== undefined ? fmtDuration(r.durationMs) : "",
    `${r.incident ? `[${r.incident}] ` : ""}${r.summary}`,
  ]);
  const shown =
    records.length < total ? `\n${records.length} of ${total} matching records shown (--limit, --first)` : "";
  return table([["SEQ", "TIME (UTC)", "ACTOR", "KIND", "OUTCOME", "TOOK", "SUMMARY"], ...rows]) + shown;
}

function verifyText(v: JournalVerifyResult): string {
  const lines = [
    v.ok
      ? `journal intact: ${v.records} records in ${v.segments} segment(s), #${v.firstSeq ?? 0}..#${v.lastSeq ?? 0}, hash chain and head anchor check out`
      : `journal FAILED verification (${v.problems.length} problem(s)) in ${v.dir}`,
    ...v.problems.map(
      (p) =>
        `  ${p.kind.padEnd(18)} ${p.message}${p.segment ? `  (${p.segment}${p.line ? ` line ${p.line}` : ""})` : ""}`,
    ),
    ...v.warnings.map((w) => `  warning: ${w}`),
  ];
  if (v.lastSeq !== undefined && v.lastHash)
    lines.push(`anchor (keep it elsewhere; check later with --anchor): ${v.lastSeq}:${v.lastHash}`);
  return lines.join("\n");
}

function exportVerifyText(v: ExportVerifyResult): string {
  return [
    v.ok
      ? `export intact: ${v.records} records (#${v.firstSeq ?? "-"}..#${v.lastSeq ?? "-"}), every hash and the digest check out`
      : `export FAILED verification (${v.problems.length} problem(s)): ${v.file}`,
    ...v.problems.map((p) => `  ${p.kind.padEnd(18)} ${p.message}`),
    ...(v.chainHead
      ? [
          `journal head at export time: ${v.chainHead.seq}:${v.chainHead.hash} (on the journal's machine: lifeboat journal verify --anchor ${v.chainHead.seq}:${v.chainHead.hash})`,
        ]
      : []),
  ].join("\n");
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
        "Choose another --out file; exports are never overwritten.",
      );
    throw new LifeboatError(
      "USAGE",
      `Cannot create ${file}: ${(e as Error).message}`,
      "Check the folder exists and is writable, or use --out -.",
    );
  }
}

function defaultExportName(o: { incident?: string; format: ExportFormat }): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `lifeboat-${o.incident ?? "journal"}-${stamp}.${o.format}`;
}

export function registerJournalCommands(program: Command, ctx: CliContext): void {
  const journal = program
    .command("journal")
    .description("the operator journal: every recovery action and operator step, hash-chained on this machine");

  withFilters(journal.command("list").description("list journal records (newest last), filtered")).action(
    async (o: FilterOptions) => {
      const r = await readerFor(ctx, o.dir).query(toQuery(o));
      printResult(ctx.io, ctx, r, (v) => recordTable(v.records, v.total));
    },
  );

  withFilters(
    journal
      .command("search <text>")
      .description("records whose summary, kind or details contain <text> (case-insensitive)"),
  ).action(async (text: string, o: FilterOptions) => {
    const r = await readerFor(ctx, o.dir).query(toQuery(o, text));
    printResult(ctx.io, ctx, r, (v) => recordTable(v.records, v.total));
  });

  journal
    .command("show <seq>")
    .description("one record in full, with a check of its own hash")
    .option("--dir <path>", "journal folder")
    .action(async (seqText: string, o: { dir?: string }) => {
      const seq = Number(seqText.replace(/^#/, ""));
      if (!Number.isInteger(seq) || seq < 1)
        throw new LifeboatError(
          "USAGE",
          `"${seqText}" is not a record number.`,
          "Record numbers (seq) start at 1; see `lifeboat journal list`.",
        );
      const record = await readerFor(ctx, o.dir).get(seq);
      if (!record)
        throw new LifeboatError(
          "USAGE",
          `There is no record #${seq} in this journal.`,
          "See `lifeboat journal list` for the numbers in use.",
        );
      const hashOk = checkLine(lineOfRecord(record)).ok;
      printResult(
        ctx.io,
        ctx,
        { record, hashOk },
        (v) =>
          `${JSON.stringify(v.record, null, 2)}\n${v.hashOk ? "hash: matches the record's content" : "hash: DOES NOT match the record's content (edited)"}`,
      );
    });

  journal
    .command("verify")
    .description("check the hash chain of the journal (or, with --file, of a JSON export on its own)")
    .option("--dir <path>", "journal folder")
    .option("--file <export.json>", "verify a JSON export instead, without the journal")
    .option(
      "--anchor <seq:hash>",
      "also check the journal still holds this record (an anchor kept elsewhere); repeatable",
      collect,
      [],
    )
    .action(async (o: { dir?: string; file?: string; anchor: string[] }) => {
      if (o.file) {
        const v = await verifyExportFile(resolve(o.file));
        printResult(ctx.io, ctx, v, exportVerifyText);
        if (!v.ok) ctx.exitCode = exitCodeFor("JOURNAL_TAMPERED");
        return;
      }
      const anchors: Anchor[] = o.anchor.map((a) => {
        const parsed = parseAnchor(a);
        if (!parsed)
          throw new LifeboatError(
            "USAGE",
            `--anchor "${a}" is not <seq>:<64 hex>.`,
            "Use the anchor line `lifeboat journal verify` printed, e.g. 1834:9f2c…",
          );
        return parsed;
      });
      const v = await verifyJournal(resolveJournalDir(o.dir, ctx.io.env), { anchors });
      printResult(ctx.io, ctx, v, verifyText);
      if (!v.ok) ctx.exitCode = exitCodeFor("JOURNAL_TAMPERED");
    });

  journal
    .command("export")
    .description("export one incident or a time range: json (verifiable), md (post-mortem), html (printable), csv")
    .option("-f, --format <format>", `one of ${EXPORT_FORMATS.join(", ")}`, "md")
    .option("-i, --incident <id>", "the incident to export")
    .option("--since <time>", "from this time (ISO 8601)")
    .option("--until <time>", "up to this time (ISO 8601)")
    .option("-o, --out <file>", 'where to write it ("-" for stdout; default lifeboat-<incident>-<time>.<format> here)')
    .option("--dir <path>", "export from this journal folder (read-only: the export is not journaled)")
    .action(
      async (o: { format: string; incident?: string; since?: string; until?: string; out?: string; dir?: string }) => {
        const format = o.format as ExportFormat;
        if (!EXPORT_FORMATS.includes(format))
          throw new LifeboatError(
            "USAGE",
            `--format "${o.format}" is not one of ${EXPORT_FORMATS.join(", ")}.`,
            "json verifies on its own; md is the post-mortem; html prints to PDF.",
          );
        const toStdout = o.out === "-";
        if (toStdout && ctx.json)
          throw new LifeboatError(
            "USAGE",
            "--json and --out - both want stdout.",
            "Write the export to a file with --out <file>.",
          );
        // Our own journal records the export (with its digest); a journal given by --dir is only read.
        const j = o.dir ? undefined : ((await ctx.journal()) as OpenJournal);
        const reader = j ?? readerFor(ctx, o.dir);
        const file = toStdout
          ? undefined
          : resolve(o.out ?? defaultExportName({ ...(o.incident ? { incident: o.incident } : {}), format }));
        const out = file ? (await createExportFile(file)).createWriteStream() : ctx.io.stdout;
        let summary: ExportSummary;
        let failed = true;
        try {
          summary = await exportJournal(
            reader,
            {
              format,
              ...(o.incident ? { incident: o.incident } : {}),
              ...(o.since ? { since: o.since } : {}),
              ...(o.until ? { until: o.until } : {}),
              ...(file ? { file } : {}),
              ...(j ? { journal: j } : {}),
            },
            out,
          );
          failed = false;
        } finally {
          if (file) {
            out.end();
            await finished(out).catch(() => undefined);
            // A half-written export is worse than none: it would fail verification later, far from the cause.
            if (failed) await unlink(file).catch(() => undefined);
          }
        }
        if (!file) return;
        printResult(ctx.io, ctx, { ...summary, file }, (v) =>
          [
            `wrote ${v.file}`,
            `  ${v.records} records (${v.scope}) as ${v.format}`,
            ...(v.digest ? [`  export digest ${v.digest}`] : []),
            `  journal head at export: ${v.chainHead.seq}:${v.chainHead.hash}`,
            ...(v.format === "json" ? [`  anyone can check it: lifeboat journal verify --file ${v.file}`] : []),
          ].join("\n"),
        );
      },
    );
}

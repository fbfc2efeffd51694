// `lifeboat journal list|show|search|verify|export`: reading, checking and exporting the operator journal. With --dir
// they work on a copied journal, read-only: nothing is locked, repaired or recorded there.
import { formatDuration } from "../../../shared/format.ts";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { RequestOf, ResultOf } from "../../../shared/api/channels.ts";
import { exitCodeFor, LifeboatError } from "../../../shared/errors.ts";
import { fullLine } from "../../../shared/journal/record-text.ts";
import type { CliContext, SessionOverrides } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { table } from "../output.ts";
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

const OUTCOMES = "started, ok, failed, refused, cancelled, info";
const TAMPERED = exitCodeFor("JOURNAL_TAMPERED");

function withFilters(cmd: Command): Command {
  return cmd
    .option("--dir <path>", "journal folder (default: LIFEBOAT_JOURNAL_DIR or the user data folder)")
    .option("-i, --incident <id>", "only this incident's records")
    .option("-k, --kind <kind>", 'only this kind, or a prefix ending in "." or "*" (backup., neon.*)')
    .option("-p, --profile <name>", "only this profile's records")
    .option("--outcome <outcome>", `only this outcome (${OUTCOMES})`)
    .option("--since <time>", "from this time (ISO 8601)")
    .option("--until <time>", "up to this time (ISO 8601)")
    .option("-n, --limit <n>", "how many records to show", positiveInt, 50)
    .option("--first", "show the oldest matches instead of the newest");
}

/** A journal named by --dir is someone else's copy: read, never written. */
const onDir = (dir: string | undefined): { session?: SessionOverrides } =>
  dir ? { session: { journalDir: dir, readOnly: true } } : {};

function toQuery(o: FilterOptions, text?: string): RequestOf<"journal.query"> {
  return {
    incident: o.incident,
    kind: o.kind,
    profile: o.profile,
    outcome: o.outcome as RequestOf<"journal.query">["outcome"],
    since: o.since,
    until: o.until,
    ...(text ? { text } : {}),
    limit: o.limit,
    newest: !o.first,
  };
}

function recordTable(v: ResultOf<"journal.query">): string {
  const { records, total } = v;
  if (!records.length) return "no matching records";
  const rows = records.map((r) => [
    String(r.seq),
    r.ts.replace("T", " ").slice(0, 19),
    r.actor.user,
    r.kind,
    r.outcome,
    r.durationMs !== undefined ? formatDuration(r.durationMs) : "",
    // The operator's words in full, never the shortened summary: the terminal wraps, nothing is cut.
    `${r.incident ? `[${r.incident}] ` : ""}${fullLine(r)}`,
  ]);
  const shown =
    records.length < total ? `\n${records.length} of ${total} matching records shown (--limit, --first)` : "";
  return table([["SEQ", "TIME (UTC)", "ACTOR", "KIND", "OUTCOME", "TOOK", "SUMMARY"], ...rows]) + shown;
}

function verifyText(v: ResultOf<"journal.verify">): string {
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

function exportVerifyText(v: ResultOf<"journal.verifyExport">): string {
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

function exportText(v: ResultOf<"journal.export">): string {
  return [
    `wrote ${v.file}`,
    `  ${v.records} records (${v.scope}) as ${v.format}`,
    ...(v.digest ? [`  export digest ${v.digest}`] : []),
    `  journal head at export: ${v.chainHead.seq}:${v.chainHead.hash}`,
    ...(v.format === "json" ? [`  anyone can check it: lifeboat journal verify --file ${v.file}`] : []),
  ].join("\n");
}

export function registerJournalCommands(program: Command, ctx: CliContext): void {
  const journal = program
    .command("journal")
    .description("the operator journal: every recovery action and operator step, hash-chained on this machine");

  withFilters(journal.command("list").description("list journal records (newest last), filtered")).action(
    async (o: FilterOptions) => {
      await invokeAndPrint(ctx, "journal.query", toQuery(o), recordTable, onDir(o.dir));
    },
  );

  withFilters(
    journal
      .command("search <text>")
      .description("records whose summary, kind or details contain <text> (case-insensitive)"),
  ).action(async (text: string, o: FilterOptions) => {
    await invokeAndPrint(ctx, "journal.query", toQuery(o, text), recordTable, onDir(o.dir));
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
      await invokeAndPrint(
        ctx,
        "journal.show",
        { seq },
        (v) =>
          `${JSON.stringify(v.record, null, 2)}\n${v.hashOk ? "hash: matches the record's content" : "hash: DOES NOT match the record's content (edited)"}`,
        onDir(o.dir),
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
        await invokeAndPrint(ctx, "journal.verifyExport", { file: resolve(o.file) }, exportVerifyText, {
          exitCode: (v) => (v.ok ? 0 : TAMPERED),
        });
        return;
      }
      await invokeAndPrint(ctx, "journal.verify", { anchors: o.anchor }, verifyText, {
        ...onDir(o.dir),
        exitCode: (v) => (v.ok ? 0 : TAMPERED),
      });
    });

  journal
    .command("export")
    .description("export one incident or a time range: json (verifiable), md (post-mortem), html (printable), csv")
    .option("-f, --format <format>", "one of json, md, html, csv", "md")
    .option("-i, --incident <id>", "the incident to export")
    .option("--since <time>", "from this time (ISO 8601)")
    .option("--until <time>", "up to this time (ISO 8601)")
    .option("-k, --kind <kind>", 'only this kind, or a prefix ending in "." or "*"')
    .option("-p, --profile <name>", "only this profile's records")
    .option("--outcome <outcome>", `only this outcome (${OUTCOMES})`)
    .option("--text <text>", "only records containing this text (as journal search)")
    .option("-o, --out <file>", 'where to write it ("-" for stdout; default lifeboat-<incident>-<time>.<format> here)')
    .option("--dir <path>", "export from this journal folder (read-only: the export is not journaled)")
    .action(async (o: Omit<FilterOptions, "limit"> & { format: string; text?: string; out?: string }) => {
      const toStdout = o.out === "-";
      if (toStdout && ctx.json)
        throw new LifeboatError(
          "USAGE",
          "--json and --out - both want stdout.",
          "Write the export to a file with --out <file>.",
        );
      const request = {
        format: o.format as RequestOf<"journal.export">["format"],
        incident: o.incident,
        since: o.since,
        until: o.until,
        kind: o.kind,
        profile: o.profile,
        outcome: o.outcome as RequestOf<"journal.export">["outcome"],
        text: o.text,
        ...(toStdout
          ? { destination: "stream" as const }
          : { destination: "file" as const, out: resolve(o.out ?? ".") }),
      };
      await invokeAndPrint(ctx, "journal.export", request, toStdout ? () => "" : exportText, {
        ...onDir(o.dir),
        ...(toStdout ? { output: ctx.io.stdout } : {}),
      });
    });
}

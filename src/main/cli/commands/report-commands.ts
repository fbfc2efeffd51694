// `lifeboat report compliance|verify|attest` and `lifeboat runbooks export`: parse argv -> invoke(channel) -> print.
import { resolve } from "node:path";
import type { Command } from "commander";
import type { RequestOf, ResultOf } from "../../../shared/api/channels.ts";
import { CONTROL_SETS } from "../../../shared/compliance/controls.ts";
import { EXIT_CODES, exitCodeFor, LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, table } from "../output.ts";
import { formatDate } from "../../../shared/format.ts";
import { collect } from "./option-helpers.ts";

const TAMPERED = exitCodeFor("JOURNAL_TAMPERED");
/** 0 only when every item PASSes: a FAIL or a NOT EVIDENCED is exit 11 (the report is still printed or written). */
const findingsExit = (v: { summary: { fail: number; notEvidenced: number } }) =>
  v.summary.fail + v.summary.notEvidenced ? EXIT_CODES.FINDINGS : EXIT_CODES.OK;
const VERDICT = { PASS: "PASS", FAIL: "FAIL", NOT_EVIDENCED: "NOT EVIDENCED" } as const;

interface ReportOptions {
  profile: string[];
  from?: string;
  to?: string;
  controls: string;
  format?: string;
  out?: string;
  rtoMinutes?: number;
  rpoMinutes?: number;
  practiceJournal: string[];
  timeout?: number;
}

function minutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`"${value}" is not a number of minutes`);
  return n;
}

function reportText(r: ResultOf<"compliance.report">): string {
  const rows = r.items.map((i) => [
    VERDICT[i.verdict],
    i.section === "164.308(a)(7)" ? `§${i.control}` : (i.awsControl ?? i.title),
    i.section === "164.308(a)(7)" || i.awsControl ? i.title : "",
    i.profile ?? "(organization)",
    i.reason,
  ]);
  return [
    `${r.controlSet === "hipaa" ? "HIPAA §164.308(a)(7) and the audit's checklist" : "AWS Backup Audit Manager controls"}, ${formatDate(r.period.from)} to ${formatDate(r.period.to)}: ${r.summary.pass} PASS, ${r.summary.fail} FAIL, ${r.summary.notEvidenced} NOT EVIDENCED`,
    table([["VERDICT", "CONTROL", "", "PROFILE", "WHY"], ...rows]),
    ...(r.unseen.length
      ? ["could not see:", ...r.unseen.map((u) => `  ${u.profile ? `${u.profile}: ` : ""}${u.what}: ${u.why}`)]
      : []),
    `evidence: ${r.evidenceCounts.records} journal records, ${r.evidenceCounts.manifests} manifests; the report with every citation: --format json|md|html|pdf`,
  ].join("\n");
}

function exportText(v: ResultOf<"compliance.export">): string {
  return [
    `wrote ${v.file}`,
    `  ${v.format}, ${formatBytes(v.bytes)}, sha256 ${v.sha256} (journaled)`,
    `  ${v.summary.pass} PASS, ${v.summary.fail} FAIL, ${v.summary.notEvidenced} NOT EVIDENCED, ${formatDate(v.period.from)} to ${formatDate(v.period.to)}`,
    ...(v.format === "json" ? [`  anyone can check it: lifeboat report verify ${v.file}`] : []),
  ].join("\n");
}

function verifyText(v: ResultOf<"compliance.verify">): string {
  return [
    v.ok
      ? `report intact: ${v.records} journal records (${v.journals} journal(s)) and ${v.manifests} manifests check out; all ${v.items} verdicts derived again from the evidence`
      : `report FAILED verification (${v.problems.length} problem(s)): ${v.file}`,
    ...v.problems.slice(0, 50).map((p) => `  ${p.kind.padEnd(18)} ${p.message}`),
    ...(v.problems.length > 50 ? [`  … and ${v.problems.length - 50} more (--json lists them all)`] : []),
  ].join("\n");
}

export function registerReportCommands(program: Command, ctx: CliContext): void {
  const report = program.command("report").description("compliance reports an auditor can check on their own");

  report
    .command("compliance")
    .description(
      "judge the audit's checklist and HIPAA §164.308(a)(7) (or AWS Backup Audit Manager's controls) from evidence only: PASS, FAIL or NOT EVIDENCED, each citing its evidence",
    )
    .option("-p, --profile <name>", "a profile (repeatable; default all)", collect, [])
    .option("--from <date>", "start of the period (default: twelve months before --to)")
    .option("--to <date>", "end of the period (default: now)")
    .option("--controls <set>", `${CONTROL_SETS.join(" | ")}`, "hipaa")
    .option("-f, --format <format>", "write the report: json (verifiable), md, html, pdf (printed by Chromium)")
    .option(
      "-o, --out <file>",
      "where to write it (default: lifeboat-compliance-<set>-<time>.<format> here; - for stdout)",
    )
    .option("--rto-minutes <n>", "RTO target for every profile (default: each profile's own)", minutes)
    .option("--rpo-minutes <n>", "RPO target for every profile (default: each profile's own)", minutes)
    .option(
      "--practice-journal <dir>",
      "a practice world's journal folder to read training from (repeatable)",
      collect,
      [],
    )
    .action(async (o: ReportOptions) => {
      const scope = {
        ...(o.profile.length ? { profiles: o.profile } : {}),
        from: o.from,
        to: o.to,
        controlSet: o.controls as RequestOf<"compliance.report">["controlSet"],
        rtoMinutes: o.rtoMinutes,
        rpoMinutes: o.rpoMinutes,
        ...(o.practiceJournal.length ? { practiceJournals: o.practiceJournal.map((d) => resolve(d)) } : {}),
      };
      if (!o.format) {
        if (o.out) throw new LifeboatError("USAGE", "--out needs --format.", "Add --format json|md|html|pdf.");
        await invokeAndPrint(ctx, "compliance.report", scope, reportText, { exitCode: findingsExit });
        return;
      }
      const toStdout = o.out === "-";
      if (toStdout && (ctx.json || o.format === "pdf"))
        throw new LifeboatError(
          "USAGE",
          o.format === "pdf" ? "A PDF is not written to a terminal." : "--json and --out - both want stdout.",
          "Write it to a file with --out <file>.",
        );
      const request: RequestOf<"compliance.export"> = {
        ...scope,
        format: o.format as RequestOf<"compliance.export">["format"],
        ...(toStdout ? { destination: "text" } : { destination: "file", out: resolve(o.out ?? ".") }),
      };
      await invokeAndPrint(ctx, "compliance.export", request, toStdout ? (v) => v.text ?? "" : exportText, {
        exitCode: findingsExit,
      });
    });

  report
    .command("verify <file>")
    .description("check a report's JSON on its own: every hash, citation and chain, and every verdict derived again")
    .action(async (file: string) => {
      await invokeAndPrint(ctx, "compliance.verify", { file: resolve(file) }, verifyText, {
        exitCode: (v) => (v.ok ? 0 : TAMPERED),
      });
    });

  report
    .command("attest")
    .description(
      "record an attestation for a control Lifeboat has no evidence of its own for (the criticality analysis)",
    )
    .requiredOption("--statement <text>", "what was assessed, by whom, and where the analysis is kept")
    .option("--control <id>", "the §164.308(a)(7) specification", "164.308(a)(7)(ii)(E)")
    .option("--document <file>", "the analysis document: its name, size and sha256 are journaled")
    .option("-p, --profile <name>", "the profile it covers (default: all)")
    .action(async (o: { statement: string; control: string; document?: string; profile?: string }) => {
      await invokeAndPrint(
        ctx,
        "compliance.attest",
        {
          control: o.control,
          statement: o.statement,
          ...(o.profile ? { profile: o.profile } : {}),
          ...(o.document ? { document: resolve(o.document) } : {}),
        },
        (r) =>
          `attested ${String(r.details.control)} (journal record #${r.seq})${r.details.sha256 ? `, document sha256 ${String(r.details.sha256)}` : ""}`,
      );
    });
}

export function registerRunbookCommands(program: Command, ctx: CliContext): void {
  const runbooks = program.command("runbooks").description("the recovery runbooks");
  runbooks
    .command("export [ids...]")
    .description(
      "each runbook (or the ones named) as a document for the DR binder, journaled with its version and sha256",
    )
    .option("-f, --format <format>", "md or html", "md")
    .option("-o, --out <dir>", "the folder to write into (default: the exports folder's runbooks/)")
    .action(async (ids: string[], o: { format: string; out?: string }) => {
      await invokeAndPrint(
        ctx,
        "runbooks.export",
        {
          ...(ids.length ? { runbooks: ids } : {}),
          format: o.format as "md" | "html",
          destination: "file",
          ...(o.out ? { out: resolve(o.out) } : {}),
        },
        (v) =>
          table([
            ["RUNBOOK", "VERSION", "SHA256", "FILE"],
            ...v.documents.map((d) => [d.runbook, d.version, d.sha256.slice(0, 16), d.file ?? ""]),
          ]),
      );
    });
}

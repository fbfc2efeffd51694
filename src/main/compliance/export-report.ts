// A report in a format an auditor accepts, returned to the caller or written to a new file (never over an existing
// one), and journaled with the sha256 of what was handed out: the journal later proves which report was given.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ComplianceReport } from "../../shared/compliance/compliance-report.ts";
import type { EvidenceBundle } from "../../shared/compliance/evidence-bundle.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { formatDate } from "../../shared/format.ts";
import type { Journal } from "../journal/journal.ts";
import { COMPLIANCE_EXPORT_KIND } from "../../shared/compliance/evidence-kinds.ts";
import { reportHtml } from "./render/report-html.ts";
import { manifestsDigest, recordsDigest, reportJson } from "./render/report-json.ts";
import { reportMarkdown } from "./render/report-markdown.ts";
import { htmlToPdf } from "./render/report-pdf.ts";
import { reportTitle } from "../../shared/compliance/report-text.ts";

export const REPORT_FORMATS = ["json", "md", "html", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type ReportDestination = { kind: "text" } | { kind: "file"; dir: string; file?: string; createDir?: boolean };

export interface ExportedReport {
  format: ReportFormat;
  bytes: number;
  sha256: string;
  file?: string;
  /** md, html and json returned to the caller. */
  text?: string;
  /** A PDF returned to the caller. */
  base64?: string;
}

/** Returned text beyond this is refused: a window downloads it, a terminal writes a file. */
const TEXT_LIMIT = 64 * 1024 * 1024;

export function defaultReportName(r: ComplianceReport, format: ReportFormat): string {
  const stamp = r.generatedAt.slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `lifeboat-compliance-${r.controlSet}-${stamp}.${format}`;
}

export async function renderReport(
  report: ComplianceReport,
  bundle: EvidenceBundle,
  format: ReportFormat,
  env: NodeJS.ProcessEnv,
): Promise<Buffer> {
  switch (format) {
    case "json":
      return Buffer.from(reportJson(report, bundle));
    case "md":
      return Buffer.from(reportMarkdown(report));
    case "html":
      return Buffer.from(reportHtml(report));
    case "pdf":
      return htmlToPdf(reportHtml(report), env, reportTitle(report));
  }
}

async function writeNew(file: string, data: Buffer): Promise<void> {
  try {
    await writeFile(file, data, { flag: "wx", mode: 0o600 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LifeboatError(
      "USAGE",
      code === "EEXIST" ? `${file} already exists.` : `Cannot create ${file}: ${(e as Error).message}`,
      code === "EEXIST"
        ? "Choose another file; reports are never overwritten."
        : "Check the folder exists and is writable.",
    );
  }
}

export async function exportReport(
  built: { report: ComplianceReport; bundle: EvidenceBundle },
  format: ReportFormat,
  dest: ReportDestination,
  opts: { env: NodeJS.ProcessEnv; journal?: Journal | undefined },
): Promise<ExportedReport> {
  const { report, bundle } = built;
  const data = await renderReport(report, bundle, format, opts.env);
  const sha256 = createHash("sha256").update(data).digest("hex");
  let out: ExportedReport;
  if (dest.kind === "text") {
    if (data.length > TEXT_LIMIT)
      throw new LifeboatError(
        "USAGE",
        `The report is larger than ${TEXT_LIMIT / 1024 / 1024} MiB.`,
        "Write it to a file, or narrow it to fewer profiles or a shorter period.",
      );
    out = {
      format,
      bytes: data.length,
      sha256,
      ...(format === "pdf" ? { base64: data.toString("base64") } : { text: data.toString("utf8") }),
    };
  } else {
    if (dest.createDir) await mkdir(dest.dir, { recursive: true, mode: 0o700 });
    const file = dest.file ?? join(dest.dir, defaultReportName(report, format));
    await writeNew(file, data);
    out = { format, bytes: data.length, sha256, file };
  }
  await opts.journal?.append({
    kind: COMPLIANCE_EXPORT_KIND,
    summary: `Compliance report (${report.controlSet}, ${formatDate(report.period.from)} to ${formatDate(report.period.to)}) exported as ${format}: ${report.summary.pass} PASS, ${report.summary.fail} FAIL, ${report.summary.notEvidenced} NOT EVIDENCED`,
    details: {
      format,
      ...(out.file ? { file: out.file } : {}),
      bytes: out.bytes,
      sha256,
      controlSet: report.controlSet,
      period: report.period,
      profiles: report.profiles.map((p) => p.name),
      summary: report.summary,
      records: recordsDigest(bundle).value,
      manifests: manifestsDigest(bundle).value,
    },
    outcome: "ok",
  });
  return out;
}

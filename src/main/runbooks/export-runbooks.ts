// `lifeboat runbooks export`: each runbook as a document (Markdown or HTML) for the DR binder, journaled one record per
// runbook (runbook.export: its id, version and the document's sha256). That record is the compliance report's
// evidence that the procedure is documented, and at which version.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { findRunbook, RUNBOOKS } from "../../shared/runbooks/all-runbooks.ts";
import type { RunbookDefinition } from "../../shared/runbooks/runbook-types.ts";
import type { Journal } from "../journal/journal.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { RUNBOOK_EXPORT_KIND } from "../../shared/compliance/evidence-kinds.ts";
import { runbookDocument, type DocFormat } from "./runbook-document.ts";

export interface ExportedRunbook {
  runbook: string;
  version: string;
  title: string;
  format: DocFormat;
  sha256: string;
  bytes: number;
  file?: string;
  text?: string;
  journalSeq?: number;
}

function pick(ids: string[] | undefined): RunbookDefinition[] {
  if (!ids?.length) return [...RUNBOOKS];
  return ids.map((id) => {
    const r = findRunbook(id);
    if (!r)
      throw new LifeboatError(
        "USAGE",
        `There is no runbook "${id}".`,
        `Runbooks: ${RUNBOOKS.map((x) => x.id).join(", ")}.`,
      );
    return r;
  });
}

/** A document of the same version is the same bytes: writing it again is a no-op, a different file there is refused. */
async function writeOnce(file: string, text: string): Promise<void> {
  const existing = await readFile(file, "utf8").catch(() => undefined);
  if (existing === text) return;
  if (existing !== undefined)
    throw new LifeboatError(
      "USAGE",
      `${file} exists and differs from this version's document.`,
      "Move it away or export into another folder; documents are never overwritten.",
    );
  await writeFile(file, text, { flag: "wx", mode: 0o600 });
}

export async function exportRunbooks(
  req: { runbooks?: string[] | undefined; format: DocFormat; dir?: string | undefined },
  journal: Journal | undefined,
): Promise<ExportedRunbook[]> {
  const out: ExportedRunbook[] = [];
  if (req.dir) await mkdir(req.dir, { recursive: true, mode: 0o700 });
  for (const r of pick(req.runbooks)) {
    const text = runbookDocument(r, req.format);
    const sha256 = createHash("sha256").update(text).digest("hex");
    const file = req.dir ? join(req.dir, `lifeboat-runbook-${r.id}-v${r.version}.${req.format}`) : undefined;
    if (file) await writeOnce(file, text);
    const rec: JournalRecord | undefined = await journal?.append({
      kind: RUNBOOK_EXPORT_KIND,
      summary: `Runbook ${r.id} version ${r.version} exported as ${req.format}${file ? ` to ${file}` : ""}`,
      details: {
        runbook: r.id,
        version: r.version,
        title: r.title,
        format: req.format,
        sha256,
        bytes: Buffer.byteLength(text),
        ...(file ? { file } : {}),
      },
      outcome: "ok",
    });
    out.push({
      runbook: r.id,
      version: r.version,
      title: r.title,
      format: req.format,
      sha256,
      bytes: Buffer.byteLength(text),
      ...(file ? { file } : { text }),
      ...(rec ? { journalSeq: rec.seq } : {}),
    });
  }
  return out;
}

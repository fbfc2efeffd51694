import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Profile } from "../../../shared/config.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import { buildComplianceReport, type ReportRequest } from "../../compliance/build-report.ts";
import { ATTEST_KIND } from "../../../shared/compliance/evidence-kinds.ts";
import { exportReport, type ReportDestination } from "../../compliance/export-report.ts";
import { verifyReportFile } from "../../compliance/verify-report.ts";
import { practiceJournalDir } from "../../practice/practice-journal-dir.ts";
import { namedStore, openNamedStore } from "../../replicas/profile-stores.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

const DEFAULT_TIMEOUT_MS = 60_000;

function terminalOnly(ctx: HandlerContext, what: string, given: unknown): void {
  if (given !== undefined && ctx.deps.shell !== "cli")
    throw new LifeboatError(
      "USAGE",
      `A window cannot name ${what}.`,
      "Leave it out; the console uses its own folders.",
    );
}

async function pick(ctx: HandlerContext, names: string[] | undefined): Promise<Profile[]> {
  return names?.length ? Promise.all(names.map((n) => ctx.profile(n))) : (await ctx.config()).profiles;
}

/** The practice world's journal holds the training records; in a practice session it is the session's own journal. */
function practiceDirs(ctx: HandlerContext, given: string[] | undefined): string[] {
  if (given?.length) return given.map((d) => resolve(d));
  if (ctx.deps.sandbox) return [];
  return [practiceJournalDir(ctx.deps.env)];
}

type Scope = ReportRequest & {
  profiles?: string[] | undefined;
  timeoutMs?: number | undefined;
  practiceJournals?: string[] | undefined;
};

async function build(req: Scope, ctx: HandlerContext) {
  terminalOnly(ctx, "practice journals", req.practiceJournals);
  return buildComplianceReport(req, {
    profiles: await pick(ctx, req.profiles),
    store: (p) => ctx.store(p),
    replicaStore: (p, r) => openNamedStore(namedStore(p, r.name), ctx.engine()),
    journal: ctx.reader(),
    practiceDirs: practiceDirs(ctx, req.practiceJournals),
    now: ctx.now(),
    timeoutMs: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}

async function destination(
  req: { destination: "text" | "file"; out?: string | undefined },
  ctx: HandlerContext,
): Promise<ReportDestination> {
  terminalOnly(ctx, "where a report is written", req.out);
  if (req.destination === "text") return { kind: "text" };
  if (req.out === undefined) return { kind: "file", dir: ctx.exportsDir(), createDir: true };
  const out = resolve(req.out);
  const isDir = (await stat(out).catch(() => undefined))?.isDirectory();
  return isDir ? { kind: "file", dir: out } : { kind: "file", dir: out, file: out };
}

export const complianceHandlers: HandlerGroup<
  "compliance.report" | "compliance.export" | "compliance.verify" | "compliance.attest"
> = {
  "compliance.report": async (req, ctx) => (await build(req, ctx)).report,
  "compliance.export": async (req, ctx) => {
    const dest = await destination(req, ctx);
    const built = await build(req, ctx);
    const out = await exportReport(built, req.format, dest, {
      env: ctx.deps.env,
      journal: await ctx.writableJournal(),
    });
    return { ...out, summary: built.report.summary, period: built.report.period };
  },
  "compliance.verify": async ({ file }) => verifyReportFile(resolve(file)),
  "compliance.attest": async ({ control, statement, profile, document }, ctx) => {
    terminalOnly(ctx, "a document", document);
    const doc = document ? await readFile(resolve(document)).catch(() => undefined) : undefined;
    if (document && !doc)
      throw new LifeboatError("USAGE", `Cannot read ${document}.`, "Name the analysis document's file.");
    const p = profile ? await ctx.profile(profile) : undefined;
    return (await ctx.journal()).append({
      kind: ATTEST_KIND,
      ...(p ? { profile: p.name } : {}),
      summary: `Attested ${control}: ${statement.split("\n")[0]!.slice(0, 200)}`,
      details: {
        control,
        statement,
        ...(doc
          ? { document: basename(document!), bytes: doc.length, sha256: createHash("sha256").update(doc).digest("hex") }
          : {}),
      },
      outcome: "info",
    });
  },
};

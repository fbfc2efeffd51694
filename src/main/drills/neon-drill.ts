// `lifeboat drill neon`: the seed's weekly backup test, made to prove something. A branch at "24 hours ago" is created
// with a compute, connected to, its key tables counted exactly and compared with the last passing run, then deleted
// (always). PASS or FAIL is journaled with the time each phase took; earlier results are read back from the journal.
import { formatDuration } from "../../shared/format.ts";
import type pg from "pg";
import type { DrillPhase, DrillResult } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { isLifeboatError, LifeboatError, type ErrorInfo } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { JournalReader } from "../journal/journal.ts";
import { drillBranchName, freeName } from "../neon/branch-names.ts";
import { historyWindow } from "../neon/history-window.ts";
import { neonConfigOf, openNeonProject, type NeonRunOptions } from "../neon/neon-client.ts";
import { defaultDrillOffset, planOf } from "../neon/neon-plan.ts";
import { deleteBranch } from "../neon/neon-branches.ts";
import { sleep } from "../neon/neon-retry.ts";
import { recoverTo, type RecoverToResult } from "../neon/recover-to.ts";
import { parseDuration, RELATIVE_TIME_EXAMPLES } from "../neon/relative-time.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { connect } from "../postgres/connect.ts";
import { redactDeep, redactText } from "../secrets/redact.ts";
import { compareDrillCounts } from "./compare-drill-counts.ts";
import { DRILL_KIND, lastPassingDrill } from "./drill-history.ts";
import { countKeyTables } from "./key-table-counts.ts";

export interface NeonDrillOptions extends NeonRunOptions {
  /** How far back: "24 hours", "24 hours ago", "90 minutes"; default the profile's drill.offsetHours. */
  offset?: string;
  tables?: string[];
  maxDropPercent?: number;
  /** Where earlier runs are read from; default the context's journal when it can be read. */
  history?: Pick<JournalReader, "query">;
  /** How long to keep trying to connect to the new compute (cold start), default 120 s. */
  connectTimeoutMs?: number;
}

function errorInfo(e: unknown): ErrorInfo {
  if (isLifeboatError(e)) return redactDeep(e.toInfo());
  return { code: "INTERNAL", message: redactText(e instanceof Error ? e.message : String(e)) };
}

function hasReader(j: unknown): j is Pick<JournalReader, "query"> {
  return !!j && typeof (j as { query?: unknown }).query === "function";
}

/** The offset the operator or the profile gave, or undefined: then the project's plan and age decide. */
export function drillOffsetMs(profile: Profile, offset?: string): number | undefined {
  if (offset === undefined) {
    const h = neonConfigOf(profile).drill.offsetHours;
    return h === undefined ? undefined : Math.round(h * 3_600_000);
  }
  const ms = parseDuration(offset.trim().replace(/\s*ago$/i, ""));
  if (ms === undefined || ms <= 0) {
    throw new LifeboatError(
      "USAGE",
      `"${offset}" is not a drill offset Lifeboat understands.`,
      `Give a duration such as "24 hours", "90 minutes" or "2 days" (${RELATIVE_TIME_EXAMPLES.slice(0, 3).join(", ")} also work).`,
    );
  }
  return ms;
}

// A compute that was just created may still be starting: refused connections and "starting up" are waited out.
async function connectWhenReady(conn: ConnInfo, timeoutMs: number, signal?: AbortSignal): Promise<pg.Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connect(conn, { timeoutMs: Math.max(1000, Math.min(15_000, deadline - Date.now())) });
    } catch (e) {
      const starting =
        isLifeboatError(e) && (e.code === "PG_UNREACHABLE" || (e.code === "PG_ERROR" && e.details?.code === "57P03"));
      if (!starting || Date.now() + 1000 > deadline) throw e;
      await sleep(1000, signal);
    }
  }
}

export async function runNeonDrill(profile: Profile, opts: NeonDrillOptions, ctx: EngineContext): Promise<DrillResult> {
  const cfg = neonConfigOf(profile);
  const given = drillOffsetMs(profile, opts.offset);
  let offsetMs = given ?? 0;
  const tables = opts.tables?.length ? opts.tables : cfg.drill.tables;
  const maxDrop = opts.maxDropPercent ?? cfg.drill.maxDropPercent;
  const history = opts.history ?? (hasReader(ctx.journal) ? ctx.journal : undefined);
  let offset = given === undefined ? "what the plan allows" : formatDuration(given);

  const started = await ctx.journal.append({
    kind: DRILL_KIND,
    summary: `Weekly backup test of Neon project ${cfg.projectId}: branch at ${given === undefined ? "the plan's default offset" : `${offset} ago`} (profile ${profile.name})`,
    profile: profile.name,
    outcome: "started",
    details: { projectId: cfg.projectId, offset, tables, maxDropPercent: maxDrop },
  });
  const t0 = performance.now();
  const r: DrillResult = {
    pass: false,
    profile: profile.name,
    offset,
    phases: [],
    counts: [],
    failures: [],
    warnings: [],
    durationMs: 0,
  };
  const phase = async <T>(name: DrillPhase["name"], fn: () => Promise<T>, detail?: (v: T) => string): Promise<T> => {
    const p0 = performance.now();
    try {
      const v = await fn();
      r.phases.push({
        name,
        ok: true,
        durationMs: Math.round(performance.now() - p0),
        ...(detail ? { detail: detail(v) } : {}),
      });
      return v;
    } catch (e) {
      r.phases.push({ name, ok: false, durationMs: Math.round(performance.now() - p0), detail: errorInfo(e).message });
      throw e;
    }
  };

  let rec: RecoverToResult | undefined;
  let orphanId: string | undefined;
  let client: pg.Client | undefined;
  try {
    rec = await phase(
      "create",
      async () => {
        const now = opts.now?.() ?? new Date();
        const neon = await openNeonProject(profile, ctx, opts);
        if (given === undefined) {
          const project = await neon.project();
          const d = defaultDrillOffset(
            undefined,
            project.history_retention_seconds,
            historyWindow(project, now).earliest,
            now,
            planOf(project),
          );
          offsetMs = d.ms;
          offset = formatDuration(d.ms);
          r.offset = offset;
          r.offsetSource = d.source;
        } else {
          r.offsetSource = opts.offset !== undefined ? "--offset" : "neon.drill.offsetHours";
        }
        const name = freeName(
          drillBranchName(now),
          (await neon.branches()).map((b) => b.name),
        );
        r.branch = name;
        // Whole seconds, like every relative point: the absolute form is the one reported and journaled.
        const at = new Date(Math.floor((now.getTime() - offsetMs) / 1000) * 1000);
        try {
          const made = await recoverTo(
            profile,
            { ...opts, point: { kind: "timestamp", at, input: `${offset} ago`, relative: true }, name },
            ctx,
          );
          r.warnings.push(...made.warnings);
          return made;
        } catch (e) {
          // Made, then failed (no compute, no URI): still ours to clean up.
          if (isLifeboatError(e) && typeof e.details?.branchId === "string") orphanId = e.details.branchId;
          throw e;
        }
      },
      (v) => `${v.branch.name} at ${v.pointInTime}`,
    );
    r.branchId = rec.branch.id;
    r.pointInTime = rec.pointInTime;
    const conn = rec.connection.toConnInfo();
    client = await phase(
      "connect",
      async () => {
        const c = await connectWhenReady(conn, opts.connectTimeoutMs ?? 120_000, ctx.signal);
        await c.query("SELECT 1");
        return c;
      },
      () => `${conn.user}@${conn.host}:${conn.port}/${conn.database}`,
    );
    const counted = await phase(
      "count",
      () => countKeyTables(client!, tables),
      (v) => `${v.length} tables`,
    );
    const compared = await phase(
      "compare",
      async () => {
        const baseline = history ? await lastPassingDrill(history, profile.name) : undefined;
        if (baseline) r.baseline = { seq: baseline.seq, ts: baseline.ts };
        return compareDrillCounts(counted, baseline?.counts, maxDrop);
      },
      () =>
        r.baseline
          ? `against the passing run of ${r.baseline.ts} (journal #${r.baseline.seq})`
          : "no earlier passing run to compare with",
    );
    r.counts = compared.counts;
    r.failures = compared.failures;
  } catch (e) {
    r.error = errorInfo(e);
  } finally {
    await client?.end().catch(() => undefined);
    const toDelete = rec?.branch.id ?? orphanId;
    if (toDelete) {
      try {
        await phase(
          "delete",
          () => deleteBranch(profile, { ...opts, branch: toDelete }, ctx),
          (d) => `${d.branch} deleted`,
        );
      } catch (e) {
        r.warnings.push(
          `the test branch ${r.branch ?? toDelete} could not be deleted: ${errorInfo(e).message}. Delete it with \`lifeboat neon delete ${r.branch ?? toDelete}\`.`,
        );
      }
    }
  }
  r.pass = !r.error && r.failures.length === 0;
  r.durationMs = Math.round(performance.now() - t0);

  await ctx.journal.append({
    kind: DRILL_KIND,
    summary: r.pass
      ? `Backup test PASSED: ${r.counts.map((c) => `${c.table} ${c.rows}`).join(", ")} at ${offset} ago`
      : `Backup test FAILED: ${r.error ? r.error.message : r.failures.join("; ")}`,
    profile: profile.name,
    outcome: r.pass ? "ok" : "failed",
    durationMs: r.durationMs,
    details: {
      projectId: cfg.projectId,
      pass: r.pass,
      offset,
      ...(r.offsetSource ? { offsetSource: r.offsetSource } : {}),
      ...(r.branch ? { branch: r.branch } : {}),
      ...(r.branchId ? { branchId: r.branchId } : {}),
      ...(r.pointInTime ? { pointInTime: r.pointInTime } : {}),
      counts: r.counts,
      phases: r.phases,
      failures: r.failures,
      ...(r.warnings.length ? { warnings: r.warnings } : {}),
      ...(r.baseline ? { baselineSeq: r.baseline.seq } : {}),
      ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}),
      maxDropPercent: maxDrop,
      startSeq: started.seq,
    },
  });
  return r;
}

/** When the test branch's point in time was, for reports: "2026-01-18T10:00:00Z (24 h ago)". */
export function describeDrillPoint(r: DrillResult): string {
  return r.pointInTime ? `${r.pointInTime} (${r.offset} ago)` : `${r.offset} ago`;
}

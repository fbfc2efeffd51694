import { copyMissingRows } from "../../forensics/copy-missing-rows.ts";
import { findCorruptionTime } from "../../forensics/corruption-time.ts";
import { forensicsSides, type SidesRequest } from "../../forensics/database-ref.ts";
import { diffTable } from "../../forensics/diff-table.ts";
import { restoreDroppedColumn } from "../../forensics/restore-dropped-column.ts";
import { restoreDroppedTable } from "../../forensics/restore-dropped-table.ts";
import { rowProgress } from "../../forensics/row-progress.ts";
import { schemaDiff } from "../../forensics/schema-diff.ts";
import { describeConn } from "../../postgres/conn-info.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { repairHandlers, type RepairChannels } from "./repair-handlers.ts";

type ForensicsChannels =
  "forensics.audit" | "forensics.diff" | "forensics.copy" | "forensics.schemaDiff" | "forensics.restoreDropped";

/** The consoles's samples: enough to inspect, few enough for a window. */
const SAMPLE = 100;

async function sides(ctx: HandlerContext, req: SidesRequest, phase = "compare") {
  const engine = ctx.engine();
  const s = await forensicsSides(req, ctx.profile, engine);
  return { ...s, branch: s.branch!, onProgress: rowProgress(engine.onProgress, phase) };
}

const present = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export const forensicsHandlers: HandlerGroup<ForensicsChannels | RepairChannels> = {
  ...repairHandlers,
  "forensics.audit": async (req, ctx) => {
    const s = await forensicsSides(req, ctx.profile, ctx.engine());
    const { since, until, columns, profile: _p, production: _q, ...opts } = req;
    const r = await findCorruptionTime(
      s.production,
      {
        ...present(opts),
        ...(since ? { since: new Date(since) } : {}),
        ...(until ? { until: new Date(until) } : {}),
        ...(columns ? { columns: present(columns) } : {}),
      },
      s.fctx,
    );
    return { production: describeConn(s.production), ...r };
  },
  "forensics.diff": async (req, ctx) => {
    const s = await sides(ctx, req);
    return diffTable(
      s.branch,
      s.production,
      req.table,
      {
        ...(req.fullRow ? { fullRow: true } : {}),
        ...(req.where ? { where: req.where } : {}),
        sampleLimit: req.sampleLimit ?? SAMPLE,
        ...(s.onProgress ? { onProgress: s.onProgress } : {}),
      },
      s.fctx,
    );
  },
  "forensics.copy": async (req, ctx) => {
    const s = await sides(ctx, req, req.dryRun ? "count" : "copy");
    const r = await copyMissingRows(
      s.branch,
      s.production,
      req.table,
      {
        dryRun: req.dryRun,
        ...(req.confirm !== undefined ? { confirm: req.confirm } : {}),
        ...(req.keys ? { keys: req.keys.map((k) => k.map(String)) } : {}),
        ...(req.where ? { where: req.where } : {}),
        ...(req.batchRows ? { batchRows: req.batchRows } : {}),
        ...(s.onProgress ? { onProgress: s.onProgress } : {}),
      },
      s.fctx,
    );
    return { ...r, productionDatabase: s.production.database };
  },
  "forensics.schemaDiff": async (req, ctx) => {
    const s = await sides(ctx, req);
    return schemaDiff(s.branch, s.production, s.fctx);
  },
  "forensics.restoreDropped": async (req, ctx) => {
    const s = await sides(ctx, req);
    const opts = {
      dryRun: req.dryRun,
      ...(req.confirm !== undefined ? { confirm: req.confirm } : {}),
      ...(req.batchRows ? { batchRows: req.batchRows } : {}),
    };
    const r = req.column
      ? await restoreDroppedColumn(s.branch, s.production, req.table, req.column, opts, s.fctx)
      : await restoreDroppedTable(s.branch, s.production, req.table, opts, s.fctx);
    return { ...r, productionDatabase: s.production.database };
  },
};

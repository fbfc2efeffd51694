import { listRuns, loadRun } from "../../attachments/attachment-catalog.ts";
import { restoreAttachments } from "../../attachments/restore-attachments.ts";
import { runAttachments } from "../../attachments/run-attachments.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const attachmentsHandlers: HandlerGroup<"attachments.run" | "attachments.runs" | "attachments.restore"> = {
  "attachments.run": async ({ profile, set }, ctx) => ({
    runs: await runAttachments(await ctx.profile(profile), ctx.engine(), {
      ...(set ? { set } : {}),
      now: () => ctx.now(),
    }),
  }),
  "attachments.runs": async ({ profile, set }, ctx) => {
    const p = await ctx.profile(profile);
    const store = await ctx.store(p);
    const runs = [];
    for (const s of p.attachments.filter((x) => !set || x.name === set)) {
      for (const id of await listRuns(store, p.name, s.name)) {
        const m = await loadRun(store, p.name, s.name, id);
        runs.push({
          set: s.name,
          id,
          finishedAt: m.finishedAt,
          objects: m.objects.length,
          bytes: m.objects.reduce((a, o) => a + o.bytes, 0),
          copied: m.copied,
          deleted: m.deleted.length,
          failed: m.failed.length,
        });
      }
    }
    return { runs };
  },
  "attachments.restore": async ({ profile, set, run, target, verifyOnly }, ctx) =>
    restoreAttachments(
      await ctx.profile(profile),
      { set, run, ...(target ? { target } : {}), ...(verifyOnly ? { verifyOnly } : {}) },
      ctx.engine(),
    ),
};

import { LifeboatError } from "../../../shared/errors.ts";
import { LIFEBOAT_VERSION } from "../../version.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const appHandlers: HandlerGroup<"app.info" | "operations.cancel"> = {
  "app.info": async (_req, ctx) => ({
    version: LIFEBOAT_VERSION,
    shell: ctx.deps.shell,
    configPath: ctx.deps.configPath,
    journalDir: ctx.reader().dir,
    exportsDir: ctx.exportsDir(),
    sandbox: !!ctx.deps.sandbox,
    platform: process.platform,
  }),
  // Answered by the router itself, which owns the table of running operations.
  "operations.cancel": async () => {
    throw new LifeboatError("INTERNAL", "operations.cancel is answered by the router.");
  },
};

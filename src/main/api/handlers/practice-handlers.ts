import { runDemo } from "../../demo/run-demo.ts";
import { startSandboxService, stopSandboxService } from "../../practice/sandbox-service.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const practiceHandlers: HandlerGroup<"sandbox.start" | "sandbox.stop" | "demo.run"> = {
  "sandbox.start": async (req, ctx) => {
    const engine = ctx.engine();
    return startSandboxService(req, {
      env: ctx.deps.env,
      ...(engine.onNote ? { say: engine.onNote } : {}),
      ...(ctx.reveal ? { revealKey: (key: string) => ctx.reveal!("apiKey", key) } : {}),
    });
  },
  "sandbox.stop": async ({ dir }, ctx) => stopSandboxService(dir, ctx.deps.env),
  "demo.run": async ({ scale }, ctx) => {
    const engine = ctx.engine();
    const r = await runDemo({
      scale: scale ?? 1,
      say: engine.onNote ?? (() => undefined),
      signal: engine.signal,
      ...(engine.onProgress ? { onProgress: engine.onProgress } : {}),
    });
    return {
      backup: r.manifest.id,
      tables: r.verify.tables,
      ...(r.verify.deep ? { deep: r.verify.deep } : {}),
      journalRecords: r.journalRecords,
    };
  },
};

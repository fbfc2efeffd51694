import { z } from "zod";
import { channel, Empty, OperationId } from "../common-schemas.ts";

export const appChannels = {
  "app.info": channel({
    doc: "Version, which shell the console runs in, and where its config and journal live.",
    request: Empty,
    result: z.object({
      version: z.string(),
      shell: z.enum(["electron", "browser"]),
      configPath: z.string(),
      journalDir: z.string(),
      /** True when the console was started with --sandbox: the profiles point at a local practice Neon. */
      sandbox: z.boolean(),
      platform: z.string(),
    }),
  }),
  "operations.cancel": channel({
    doc: "Asks a running long operation to stop (its call then fails with its own error). False when none runs under that id.",
    request: z.object({ operationId: OperationId }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  }),
};

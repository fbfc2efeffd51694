import { z } from "zod";
import { channel, Empty, OperationId } from "../common-schemas.ts";

/** Which face a session serves: the terminal, the console in a browser, or the desktop app. */
export const Face = z.enum(["cli", "browser", "electron"]);
export type Face = z.infer<typeof Face>;

export const appChannels = {
  "app.info": channel({
    doc: "Version, which face the session serves, and where its config, journal and exports live.",
    request: Empty,
    result: z.object({
      version: z.string(),
      shell: Face,
      configPath: z.string(),
      journalDir: z.string(),
      exportsDir: z.string(),
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

import type { Handlers } from "../handler-types.ts";
import { appHandlers } from "./app-handlers.ts";
import { backupsHandlers } from "./backups-handlers.ts";
import { dashboardHandlers } from "./dashboard-handlers.ts";
import { incidentsHandlers } from "./incidents-handlers.ts";
import { journalHandlers } from "./journal-handlers.ts";
import { forensicsHandlers } from "./forensics-handlers.ts";
import { neonHandlers } from "./neon-handlers.ts";
import { profilesHandlers } from "./profiles-handlers.ts";
import { restoreHandlers } from "./restore-handlers.ts";
import { runbooksHandlers } from "./runbooks-handlers.ts";
import { secretsHandlers } from "./secrets-handlers.ts";

/** Every channel's handler; the type makes a channel without one a compile error. */
export const allHandlers: Handlers = {
  ...appHandlers,
  ...profilesHandlers,
  ...secretsHandlers,
  ...dashboardHandlers,
  ...backupsHandlers,
  ...restoreHandlers,
  ...journalHandlers,
  ...incidentsHandlers,
  ...runbooksHandlers,
  ...neonHandlers,
  ...forensicsHandlers,
};

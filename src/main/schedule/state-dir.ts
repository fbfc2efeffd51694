import { dirname, join } from "node:path";

/** Job locks and the local mirror of job states live beside the journal: per user and per machine, like it. */
export function scheduleStateDir(journalDir: string): string {
  return join(dirname(journalDir), "schedule");
}

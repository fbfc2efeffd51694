// Where this machine's practice world keeps its journal: the team-training evidence a compliance report reads.
import { join } from "node:path";
import { practiceHome, sandboxDirOf } from "../session/session-places.ts";

export function practiceJournalDir(env: NodeJS.ProcessEnv): string {
  return join(practiceHome(sandboxDirOf({ env })), "journal");
}

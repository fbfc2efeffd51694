import type { HandlerGroup } from "../handler-types.ts";
import { notAvailable } from "../neon-engine.ts";

type NeonChannels = "neon.status" | "neon.recoverTo" | "neon.snapshot" | "neon.restore" | "neon.branches" | "neon.deleteBranch" | "drill.neon";
type ForensicsChannels = "forensics.audit" | "forensics.diff" | "forensics.copy" | "forensics.schemaDiff" | "forensics.restoreDropped";

const missing = (what: string) => async (): Promise<never> => {
  throw notAvailable(what);
};

export const neonHandlers: HandlerGroup<NeonChannels> = {
  "neon.status": missing("Neon status"),
  "neon.recoverTo": missing("Neon point-in-time recovery"),
  "neon.snapshot": missing("Neon emergency snapshots"),
  "neon.restore": missing("Neon in-place restore"),
  "neon.branches": missing("Neon branch listing"),
  "neon.deleteBranch": missing("Neon branch deletion"),
  "drill.neon": missing("The Neon backup drill"),
};

export const forensicsHandlers: HandlerGroup<ForensicsChannels> = {
  "forensics.audit": missing("Audit-log forensics"),
  "forensics.diff": missing("Table diff"),
  "forensics.copy": missing("Row copy"),
  "forensics.schemaDiff": missing("Schema diff"),
  "forensics.restoreDropped": missing("Dropped column/table restore"),
};

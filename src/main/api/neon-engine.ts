// The API's one door to the Neon, drill and forensics engines, so their handlers stay thin adapters.
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { NeonWindowInfo } from "./profile-health.ts";

export function notAvailable(what: string): LifeboatError {
  return new LifeboatError("INTERNAL", `${what} is not available in this build yet.`, "Use the Neon console or neonctl meanwhile; the backup, restore and journal screens work.");
}

export async function neonWindowFor(_profile: Profile, _ctx: EngineContext): Promise<NeonWindowInfo> {
  throw notAvailable("Neon status");
}

import type { EngineContext } from "../engine/engine-context.ts";

/** What the forensics operations need from their face: the journal, and which profile the work is for. */
export type ForensicsContext = Pick<EngineContext, "journal"> & {
  /** The production profile's name, recorded with every journal entry. */
  profile?: string;
};

import { LifeboatError } from "../../shared/errors.ts";

/** A closed incident's record is final: nothing more attaches to it, from any face. */
export function incidentClosed(incident: string, closedAt: string | undefined): LifeboatError {
  return new LifeboatError(
    "INCIDENT_CLOSED",
    `Incident ${incident} was closed${closedAt ? ` at ${closedAt}` : ""}: it takes no more records.`,
    "Its record is final. Open a new incident for further work (or a follow-up review), and refer to this one in it.",
    { incident },
  );
}

// The engine's side of an incident: the seed's default contacts and how incident ids are made. Severities,
// scenarios, targets and the Contact shape are declared once in src/shared/incident.ts.
import type { Contact } from "../../shared/incident.ts";

export const DEFAULT_CONTACTS: Contact[] = [
  { role: "Database Admin", name: "[TBD]", contact: "[Email/Phone]", responsibility: "Execute recovery procedures" },
  {
    role: "DevOps Lead",
    name: "[TBD]",
    contact: "[Email/Phone]",
    responsibility: "Application deployment post-recovery",
  },
  { role: "CTO", name: "[TBD]", contact: "[Email/Phone]", responsibility: "Decision authority for major recovery" },
  {
    role: "Neon Support",
    name: "Neon Team",
    contact: "support@neon.tech",
    responsibility: "Database restoration assistance",
  },
];

/** Incident ids are short enough to type during an outage: inc-YYYYMMDD-HHMM-xxxx (UTC, 4 random hex). */
export function newIncidentId(now: Date, random: () => number = Math.random): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 16).replace(":", "")}`;
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `inc-${stamp}-${suffix}`;
}

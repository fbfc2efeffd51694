// What an incident is made of. Defaults come from the runbook seed (docs/seed: Neon backup & recovery plan): RTO 30
// minutes, RPO 1 minute, the post-recovery checklist and the recovery contacts table.

/** SEV1 is the worst: production down or clinical data lost. One scale only, so reports compare across incidents. */
export const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SCENARIOS = ["data-corruption", "database-loss", "bad-migration", "backup-test", "other"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Targets {
  rtoMinutes: number;
  rpoMinutes: number;
}

export const DEFAULT_TARGETS: Targets = { rtoMinutes: 30, rpoMinutes: 1 };

export const POST_RECOVERY_CHECKLIST = [
  "Verify data integrity",
  "Smoke test all API endpoints",
  "Check audit logs for gaps",
  "Notify team recovery is complete",
  "Document incident in post-mortem",
  "Update RTO/RPO estimates if needed",
  "Review what caused the need for recovery",
  "Implement prevention measures",
] as const;

export interface Contact {
  role: string;
  name: string;
  contact: string;
  responsibility?: string;
}

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

/** Matches a checklist item by 1-based number, exact text or unique case-insensitive prefix. */
export function matchChecklistItem(input: string): string | undefined {
  const n = Number(input);
  if (Number.isInteger(n) && n >= 1 && n <= POST_RECOVERY_CHECKLIST.length) return POST_RECOVERY_CHECKLIST[n - 1];
  const needle = input.trim().toLowerCase();
  if (!needle) return undefined;
  const exact = POST_RECOVERY_CHECKLIST.find((i) => i.toLowerCase() === needle);
  if (exact) return exact;
  const prefixed = POST_RECOVERY_CHECKLIST.filter((i) => i.toLowerCase().startsWith(needle));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

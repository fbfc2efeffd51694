// The audit's "ransomware attack" (seed 003): someone holding stolen credentials encrypted or destroyed data.
// Contain first (cut access, rotate every credential, Lifeboat's own included, and prove Lifeboat still reaches its
// stores with the new ones), keep the compromised state as evidence, find the last clean point (Neon's history, or
// the newest locked backup from before the compromise when the Neon account itself is suspect), restore into a NEW
// database, prove it clean against production, record what the breach assessment needs, and move the application.
import type { RunbookDefinition } from "./runbook-types.ts";
import { notifyUsersStep, postRecoveryStep, reconnectStep, serviceRestoredStep } from "./shared-steps.ts";

const viaNeon = { path: "inputs.clean-point.route", equals: "neon" } as const;
const viaBackup = { path: "inputs.clean-point.route", equals: "backup" } as const;
const cleanBranch = { kind: "neon-branch", branch: "{{results.clean-branch.branch.id}}" };

export const scenario6Ransomware: RunbookDefinition = {
  id: "scenario-6-ransomware",
  version: "1.0",
  title: "Scenario 6: Ransomware attack",
  summary:
    "Data was encrypted or destroyed by someone with stolen access. Contain, keep the evidence, restore the last clean point into a new database.",
  scenario: "ransomware",
  defaultSeverity: "SEV1",
  expectedMinutes: [60, 240],
  detection: [
    "Records replaced by unreadable text, or a ransom note (a new table, a file, an email)",
    "The audit log shows mass UPDATEs or DELETEs from an unusual address or at an unusual time",
    "Unknown logins to Neon, the cloud account or the application's servers",
  ],
  steps: [
    {
      id: "isolate",
      kind: "record",
      title: "Cut the attacker off",
      guidance:
        "Take the application offline (a maintenance page) and limit database access to the recovery team, so nothing more is encrypted or taken. Do not delete anything: production is evidence.",
      reference:
        "neon projects update $PROJECT_ID --ip-allow <recovery team's addresses>\nvercel --prod  # maintenance page",
      fields: [
        { name: "offline", label: "Application offline (maintenance page)", type: "checkbox", required: true },
        { name: "allowList", label: "Database access limited to the recovery team", type: "checkbox", required: true },
      ],
      submitLabel: "Record containment",
    },
    {
      id: "rotate-credentials",
      kind: "record",
      title: "Rotate every credential",
      guidance:
        "Assume every secret the attacker could reach is known: the database role's password, the Neon API keys, the S3 keys, and Lifeboat's own copies of them (and its age identity if its machine was reached). Set Lifeboat's new values with lifeboat secrets set.",
      reference:
        "neon roles reset-password neondb_owner --project-id $PROJECT_ID\n" +
        "aws iam create-access-key --user-name lifeboat && aws iam delete-access-key --user-name lifeboat --access-key-id <old>\n" +
        "lifeboat secrets set <ref>   # each of Lifeboat's references, from the new values\n" +
        "lifeboat keys rotate          # if Lifeboat's machine was reached",
      fields: [
        { name: "database", label: "Database role password reset", type: "checkbox", required: true },
        { name: "neon", label: "Neon API keys revoked and replaced", type: "checkbox", required: true },
        { name: "storage", label: "S3 keys replaced", type: "checkbox", required: true },
        { name: "lifeboat", label: "Lifeboat's secrets set to the new values", type: "checkbox", required: true },
        { name: "note", label: "Anything not rotated, and why", type: "text", multiline: true },
      ],
      submitLabel: "Record rotation",
    },
    {
      id: "check-access",
      kind: "action",
      title: "Check Lifeboat's access with the new credentials",
      guidance:
        "Lifeboat connects to the database and the store and opens the key, with the credentials it holds now: proof that its own copies were rotated too.",
      reference: "lifeboat profile test",
      channel: "profiles.test",
      payload: { name: "{{profile.name}}" },
      actionLabel: "Test the credentials",
      show: {
        kind: "table",
        path: "checks",
        empty: "No checks.",
        columns: [
          { label: "Check", path: "name" },
          { label: "OK", path: "ok", format: "boolean" },
          { label: "Detail", path: "detail" },
        ],
      },
      expect: [{ path: "ok", op: "truthy", failure: "A credential Lifeboat holds does not work: set it again." }],
    },
    {
      id: "preserve-evidence",
      kind: "action",
      title: "Keep the compromised state as evidence",
      guidance:
        "A branch of production as the attacker left it, without a compute: the breach assessment and any investigation read it later. It costs nothing while nobody uses it.",
      reference: 'neon branches create --name "emergency-<stamp>" --parent main --no-compute',
      channel: "neon.snapshot",
      payload: { profile: "{{profile.name}}", method: "branch" },
      progress: true,
      actionLabel: "Keep the evidence",
      show: {
        kind: "fields",
        fields: [
          { label: "Evidence branch", path: "branch.name", format: "code" },
          { label: "Taken at", path: "takenAt", format: "datetime" },
        ],
      },
    },
    {
      id: "compromise-time",
      kind: "record",
      title: "When did the attacker first act?",
      guidance:
        "The earliest sign of the attacker in the audit log, Neon's and the cloud's access logs: the clean point must be before it. When unsure, go further back.",
      reference:
        'SELECT min(timestamp) FROM "AuditLog" WHERE "ipAddress" NOT IN (<known addresses>);\naws cloudtrail lookup-events --start-time <…>',
      fields: [
        { name: "at", label: "First sign of the attacker (UTC)", type: "timestamp", required: true },
        { name: "how", label: "How it was found", type: "text", multiline: true },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "First sign of the attacker: {{inputs.compromise-time.at}}",
          corruptionTime: "{{inputs.compromise-time.at}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the time",
    },
    {
      id: "list-backups",
      kind: "action",
      title: "List the off-site backups and their locks",
      guidance:
        "Backups under an Object Lock could not be deleted or changed by the attacker, even with the store's keys. The newest locked one from before the compromise is the clean point when Neon itself is suspect.",
      reference: "lifeboat backups locks",
      channel: "backups.list",
      payload: { profile: "{{profile.name}}" },
      actionLabel: "List backups",
      show: {
        kind: "table",
        path: "backups",
        empty: "No committed backups.",
        columns: [
          { label: "Backup", path: "id", format: "code" },
          { label: "Finished", path: "finishedAt", format: "datetime" },
          { label: "Lock", path: "lock.mode" },
          { label: "Locked until", path: "lock.retainUntil", format: "datetime" },
        ],
      },
    },
    {
      id: "clean-point",
      kind: "record",
      title: "Choose the last clean point",
      guidance:
        "Neon's history when the attacker never held the Neon account: a new branch one second before the first sign. Otherwise the newest locked backup from before it, restored into a new database. Never restore over production: it is evidence.",
      fields: [
        {
          name: "route",
          label: "Restore from",
          type: "choice",
          required: true,
          default: "neon",
          options: [
            { value: "neon", label: "Neon's history: a new branch at the last clean second" },
            { value: "backup", label: "A locked off-site backup from before the compromise, into a new database" },
          ],
        },
        { name: "at", label: "Last clean second (UTC)", type: "timestamp", required: true },
        { name: "backup", label: "Backup (for the backup route)", type: "text", placeholder: "20260117T020000Z-ab12" },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Last clean point {{inputs.clean-point.at}}, restored from {{inputs.clean-point.route}} {{inputs.clean-point.backup}}",
          recoveryPoint: "{{inputs.clean-point.at}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the clean point",
    },
    {
      id: "clean-branch",
      kind: "action",
      when: viaNeon,
      title: "Restore the clean point into a new branch",
      guidance: "A new Neon branch at the last clean second, with its own compute. Production is not touched.",
      reference: 'neon branches create --name "recovery-<stamp>" --parent main@"<last clean second>"',
      channel: "neon.recoverTo",
      payload: { profile: "{{profile.name}}", point: { at: "{{inputs.clean-point.at}}" } },
      progress: true,
      actionLabel: "Create the clean branch",
      show: [
        {
          kind: "fields",
          fields: [
            { label: "Branch", path: "branch.name", format: "code" },
            { label: "Point in time", path: "pointInTime", format: "datetime" },
            { label: "Host", path: "host", format: "code" },
          ],
        },
        { kind: "branch-connection", path: "branch.id" },
      ],
    },
    {
      id: "prove-schema",
      kind: "action",
      when: viaNeon,
      title: "Prove the clean copy: the schema",
      guidance:
        "Tables and columns in production but not in the clean copy are the attacker's (a ransom note, a tool's table); those in the clean copy only were dropped by the attacker.",
      channel: "forensics.schemaDiff",
      payload: { profile: "{{profile.name}}", source: cleanBranch },
      actionLabel: "Compare schemas",
      show: {
        kind: "fields",
        fields: [
          { label: "Tables only in production (the attacker's)", path: "newTables" },
          { label: "Tables the attacker dropped", path: "droppedTables" },
          { label: "Tables compared", path: "tablesCompared", format: "number" },
        ],
      },
    },
    {
      id: "prove-rows",
      kind: "action",
      when: viaNeon,
      title: "Prove the clean copy: the rows",
      guidance:
        "Every row of the table the attacker hit, compared whole between the clean copy and production: the changed rows are what was encrypted, the evidence of the breach's extent.",
      reference:
        "SELECT count(*) FROM \"ClinicalNote\" WHERE content LIKE 'ENCRYPTED:%';  -- on each, with the attacker's mark",
      channel: "forensics.diff",
      payload: { profile: "{{profile.name}}", source: cleanBranch, table: "ClinicalNote", fullRow: true },
      progress: true,
      actionLabel: "Compare the rows",
      show: {
        kind: "fields",
        fields: [
          { label: "Rows in the clean copy", path: "counts.branch", format: "number" },
          { label: "Changed by the attacker", path: "changed", format: "number" },
          { label: "Deleted by the attacker", path: "missingInProduction", format: "number" },
          { label: "Added by the attacker", path: "extraInProduction", format: "number" },
        ],
      },
    },
    {
      id: "restore-backup",
      kind: "action",
      when: viaBackup,
      title: "Restore the locked backup into a new database",
      guidance:
        "Restores the chosen backup into a new database and proves it: every table's row count must equal its manifest's, written before the compromise.",
      reference: "lifeboat restore <backup> --database clean_<stamp>",
      channel: "restore.run",
      payload: { profile: "{{profile.name}}", id: "{{inputs.clean-point.backup}}", database: "clean_{{now | ustamp}}" },
      progress: true,
      actionLabel: "Restore the backup",
      show: { kind: "counts", path: "tables" },
      expect: [{ path: "tables", op: "truthy", failure: "The restore reported no tables." }],
    },
    {
      id: "breach-evidence",
      kind: "record",
      title: "Record the breach assessment's evidence",
      guidance:
        "HIPAA treats ransomware on PHI as a breach unless a risk assessment shows a low probability of compromise (45 CFR 164.402). Record what the attacker could reach and what is kept; notify within 60 days of discovery unless the assessment says otherwise.",
      fields: [
        { name: "reached", label: "Data the attacker could reach", type: "text", multiline: true, required: true },
        {
          name: "exfiltration",
          label: "Evidence of data taken out",
          type: "choice",
          required: true,
          default: "unknown",
          options: [
            { value: "unknown", label: "Unknown yet" },
            { value: "yes", label: "Yes" },
            { value: "no", label: "No, with evidence" },
          ],
        },
        {
          name: "evidence",
          label: "Evidence kept (branches, logs)",
          type: "text",
          required: true,
          default: "{{results.preserve-evidence.branch.name}}",
        },
        { name: "notified", label: "Privacy officer and counsel informed", type: "checkbox", required: true },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Breach assessment evidence: reached {{inputs.breach-evidence.reached}}; data taken out: {{inputs.breach-evidence.exfiltration}}; kept: {{inputs.breach-evidence.evidence}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the evidence",
    },
    reconnectStep,
    serviceRestoredStep("Stops the RTO clock: the time from detection to now is the achieved recovery time."),
    notifyUsersStep,
    postRecoveryStep,
  ],
};

// The audit's "server failure" (seed 003): the database server (Neon's compute) fails and does not come back. Neon
// keeps the data, so nothing committed is lost: the branch is restored in place from its own history to the present,
// which brings a new compute behind the same connection string (no application change), then proven by connecting
// again and by a fresh off-site backup of everything it holds. Differs from Scenario 2: nothing is lost, nothing moves.
import type { RunbookDefinition } from "./runbook-types.ts";
import {
  checkDatabaseStep,
  contactNeonStep,
  notifyUsersStep,
  postRecoveryStep,
  serviceRestoredStep,
} from "./shared-steps.ts";

export const scenario4ServerFailure: RunbookDefinition = {
  id: "scenario-4-server-failure",
  version: "1.0",
  title: "Scenario 4: Server failure",
  summary:
    "The database server failed and does not restart. Replace the compute in place from Neon's history: nothing committed is lost, the connection string stays.",
  scenario: "server-failure",
  defaultSeverity: "SEV1",
  expectedMinutes: [5, 20],
  detection: [
    "Connections fail or hang; the application logs connection errors",
    "The Neon console shows the compute idle or failing to start",
    "Monitoring: the database's SELECT now() check goes red",
  ],
  steps: [
    checkDatabaseStep,
    {
      id: "neon-status",
      kind: "action",
      title: "Look at the compute in Neon",
      guidance:
        "Lifeboat asks Neon for the project: the production branch, its compute's state and the history window. A compute that is idle or stuck starting while clients fail is a failed server; the data is in Neon's storage, not on the compute.",
      reference: "neon branches list --project-id $PROJECT_ID\nneon endpoints list --project-id $PROJECT_ID",
      channel: "neon.status",
      payload: { profile: "{{profile.name}}" },
      actionLabel: "Ask Neon",
      show: [
        {
          kind: "fields",
          fields: [
            { label: "Production branch", path: "defaultBranch.name", format: "code" },
            { label: "Compute state", path: "computeState" },
            { label: "History from", path: "window.start", format: "datetime" },
            { label: "Checked at", path: "checkedAt", format: "datetime" },
          ],
        },
        { kind: "list", path: "notes", label: "Neon notes" },
      ],
      expect: [
        {
          path: "defaultBranch.id",
          op: "truthy",
          failure: "Neon did not name the production branch: check the profile's project id, or use Scenario 2.",
        },
      ],
    },
    contactNeonStep,
    {
      id: "restore-point",
      kind: "record",
      title: "Choose the point to restore to",
      guidance:
        "The present: every transaction committed before the failure is in Neon's history, so restoring to now loses nothing. Transactions still open when the server failed are lost on any PostgreSQL server; their clients saw an error.",
      fields: [{ name: "at", label: "Restore to (UTC)", type: "timestamp", required: true, default: "{{now}}" }],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Production restored in place to {{inputs.restore-point.at}} (the present: nothing committed lost)",
          recoveryPoint: "{{inputs.restore-point.at}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the point",
    },
    {
      id: "replace-compute",
      kind: "action",
      title: "Restore production in place",
      guidance:
        "Neon restores the production branch from its own history to the point above and starts a new compute behind the same host name: the application's connection string does not change. The failed state is kept as a backup branch.",
      reference:
        'neon branches restore main ^self@"<point>" --preserve-under-name failed-compute-<stamp>\n# or in the Neon console: Branches → main → Restore → Point in time',
      channel: "neon.restore",
      payload: {
        profile: "{{profile.name}}",
        branch: "{{results.neon-status.defaultBranch.id}}",
        source: { at: "{{inputs.restore-point.at}}" },
        preserveUnderName: "failed-compute-{{now | stamp}}",
      },
      progress: true,
      actionLabel: "Restore in place",
      destructive: {
        warning: "This replaces production's branch; its current state is kept as a backup branch.",
        confirmText: "{{results.neon-status.defaultBranch.name}}",
        confirmLabel: "Type the production branch's name to confirm",
        payloadKey: "confirm",
      },
      show: {
        kind: "fields",
        fields: [
          { label: "Branch", path: "branch.name", format: "code" },
          { label: "Restored to", path: "pointInTime", format: "datetime" },
          { label: "Failed state kept as", path: "preservedAs", format: "code" },
          { label: "Took", path: "durationMs", format: "duration-ms" },
        ],
      },
    },
    {
      id: "connect-again",
      kind: "action",
      title: "Connect again",
      guidance: "The same connection the application uses: it must answer now.",
      reference: 'psql "$DATABASE_URL" -c "SELECT now()"',
      channel: checkDatabaseStep.channel,
      payload: checkDatabaseStep.payload,
      actionLabel: "Connect again",
      show: checkDatabaseStep.show,
      expect: [
        {
          path: "profiles.0.database.reachable",
          op: "truthy",
          failure: "The database still does not answer: restore again, or follow Scenario 2 (a new branch).",
        },
      ],
    },
    {
      id: "backup-now",
      kind: "action",
      title: "Back up the recovered database",
      guidance:
        "A full off-site backup now: it reads every row of every table (a failed server can leave damage that only a full read finds) and gives the recovery a fresh restore point. Its manifest holds the exact row counts.",
      reference: "lifeboat backup",
      channel: "backups.run",
      payload: { profile: "{{profile.name}}" },
      progress: true,
      actionLabel: "Back up now",
      show: [
        {
          kind: "fields",
          fields: [
            { label: "Backup", path: "id", format: "code" },
            { label: "Finished", path: "finishedAt", format: "datetime" },
            { label: "Size", path: "object.bytes", format: "bytes" },
          ],
        },
        {
          kind: "table",
          path: "tables",
          empty: "No tables.",
          columns: [
            { label: "Table", path: "table" },
            { label: "Rows", path: "rows", format: "number" },
          ],
        },
      ],
      expect: [{ path: "tables", op: "truthy", failure: "The backup named no tables." }],
    },
    {
      id: "app-check",
      kind: "record",
      title: "Check the application",
      guidance:
        "The connection string did not change, but connection pools may hold dead connections: restart the application if it does not recover by itself, then smoke test it.",
      reference: "kubectl rollout restart deployment dr-amal-app",
      fields: [
        { name: "working", label: "The application reads and writes again", type: "checkbox", required: true },
        { name: "restarted", label: "Application restarted", type: "checkbox" },
      ],
      submitLabel: "Record the check",
    },
    serviceRestoredStep(),
    notifyUsersStep,
    postRecoveryStep,
  ],
};

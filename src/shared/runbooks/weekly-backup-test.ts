// Seed: "Weekly Backup Test (every Monday)". A branch at 24 hours ago, sample counts, branch deleted (the Neon drill),
// plus a deep verify of the newest off-site backup: it is restored into a throwaway database and every count checked.
import type { RunbookDefinition } from "./runbook-types.ts";

export const weeklyBackupTest: RunbookDefinition = {
  id: "weekly-backup-test",
  version: "1.0",
  title: "Weekly backup test",
  summary: "Every Monday: prove that Neon can branch 24 hours back and that the newest off-site backup restores.",
  scenario: "backup-test",
  defaultSeverity: "SEV4",
  expectedMinutes: [5, 15],
  detection: ["Scheduled: every Monday", "After any change to backups, keys or storage"],
  steps: [
    {
      id: "neon-drill",
      kind: "action",
      title: "Neon: branch back in time and count",
      guidance:
        "Creates backup-test-YYYY-MM-DD at the profile's drill offset (24 hours ago unless the profile says otherwise), checks it answers, counts the key tables, compares them with earlier runs, then deletes it.",
      reference:
        'neon branches create --name "backup-test-$(date +%Y-%m-%d)" --restore-point "24 hours ago"\npsql "$RECOVERY_URL" -c \'SELECT COUNT(*) FROM "Patient"\'\nneon branches delete --branch backup-test-$(date +%Y-%m-%d)',
      channel: "drill.neon",
      payload: { profile: "{{profile.name}}" },
      progress: true,
      optional: true,
      actionLabel: "Run the Neon drill",
      show: [
        {
          kind: "fields",
          fields: [
            { label: "Stopped by", path: "error.message" },
            { label: "What to do", path: "error.hint" },
          ],
        },
        { kind: "list", path: "failures", label: "Why it failed" },
        { kind: "list", path: "warnings", label: "Needs doing" },
        {
          kind: "table",
          path: "phases",
          empty: "No phase ran.",
          columns: [
            { label: "Phase", path: "name" },
            { label: "Passed", path: "ok", format: "boolean" },
            { label: "Took", path: "durationMs", format: "duration-ms" },
            { label: "Detail", path: "detail" },
          ],
        },
        {
          kind: "table",
          path: "counts",
          empty: "No tables were counted.",
          columns: [
            { label: "Table", path: "table" },
            { label: "Rows", path: "rows", format: "number" },
            { label: "Last run", path: "previous", format: "number" },
          ],
        },
      ],
      expect: [{ path: "pass", op: "truthy", failure: "BACKUP TEST FAILED: the Neon drill did not pass." }],
    },
    {
      id: "latest-backup",
      kind: "action",
      title: "List the off-site backups",
      guidance: "The newest committed backup is the one a real recovery would use.",
      channel: "backups.list",
      payload: { profile: "{{profile.name}}" },
      actionLabel: "List backups",
      show: {
        kind: "table",
        path: "backups",
        empty: "No committed backups: run one from the Backups screen first.",
        columns: [
          { label: "Backup", path: "id", format: "code" },
          { label: "Finished", path: "finishedAt", format: "datetime" },
          { label: "Size", path: "object.bytes", format: "bytes" },
        ],
      },
      expect: [{ path: "backups.0.id", op: "truthy", failure: "There is no committed backup to test." }],
    },
    {
      id: "deep-verify",
      kind: "action",
      title: "Deep verify the newest backup",
      guidance:
        "Checks the sha256, decrypts, restores into a throwaway database and compares every table's rows with the manifest.",
      reference: "lifeboat verify --profile <name> --deep latest",
      channel: "backups.verify",
      payload: { profile: "{{profile.name}}", id: "{{results.latest-backup.backups.0.id}}", deep: true },
      progress: true,
      actionLabel: "Deep verify",
      show: { kind: "counts", path: "deep.tables" },
      expect: [{ path: "ok", op: "truthy", failure: "The backup did not verify." }],
    },
    {
      id: "note",
      kind: "record",
      title: "Anything unusual",
      guidance:
        "Write down anything that looked odd (counts unlike last week's, a slow phase, a leftover branch). The note goes with the verdict; it does not change it.",
      fields: [{ name: "note", label: "Notes (anything unusual)", type: "text", multiline: true }],
      submitLabel: "Record the note",
    },
    {
      id: "verdict",
      kind: "action",
      title: "Verdict",
      guidance:
        "One PASS or FAIL, computed from what this test recorded: the Neon drill and the deep verify of the newest backup both passed, or the reason it did not.",
      channel: "drill.verdict",
      payload: { profile: "{{profile.name}}", incident: "{{incident.id}}", note: "{{inputs.note.note | nonempty}}" },
      actionLabel: "Compute the verdict",
      show: { kind: "verdict", path: "" },
      expect: [{ path: "pass", op: "truthy", failure: "BACKUP TEST FAILED: see the verdict's reason." }],
    },
  ],
};

// The audit's "region outage" (seed 003): production's whole region is gone: the database, Neon's control plane for the
// project and the off-site store in the same region. Nothing there answers, so the recovery is elsewhere: the newest
// backup, read from the replica in another region, restored into a new database on a server there, proven by its row
// counts; the application is switched to it by hand (the connection string without its password), and the way back
// is planned for when the region returns. Differs from Scenarios 2 and 4: Neon cannot help, the copy is the replica.
import type { RunbookDefinition } from "./runbook-types.ts";
import {
  checkDatabaseStep,
  contactNeonStep,
  notifyUsersStep,
  postRecoveryStep,
  serviceRestoredStep,
} from "./shared-steps.ts";

export const scenario5RegionOutage: RunbookDefinition = {
  id: "scenario-5-region-outage",
  version: "1.0",
  title: "Scenario 5: Region outage",
  summary:
    "Production's region is down: the database, Neon's API and the off-site store there. Restore the newest backup from the replica in another region into a new database, switch the application to it, plan the way back.",
  scenario: "region-outage",
  defaultSeverity: "SEV1",
  expectedMinutes: [20, 60],
  detection: [
    "Connections fail; the Neon console and API answer errors or nothing for the project",
    "Neon's status page (neonstatus.com) or the cloud provider reports the region down",
    "The off-site store in the same region does not answer either",
  ],
  steps: [
    checkDatabaseStep,
    {
      id: "where-backups",
      kind: "action",
      title: "Find the copies that are still in reach",
      guidance:
        "Lifeboat lists every store of the profile: the primary (in the failed region) and each replica. The failed region's store is expected to say why it cannot be listed; the replica in the other region must hold the newest backup.",
      reference:
        "lifeboat backups   # where each backup is, per store\naws s3 ls s3://<replica-bucket>/<prefix>/ --region <other-region>",
      channel: "replicas.where",
      payload: { profile: "{{profile.name}}" },
      actionLabel: "List the copies",
      show: [
        {
          kind: "table",
          path: "stores",
          empty: "No stores.",
          columns: [
            { label: "Store", path: "name", format: "code" },
            { label: "Where", path: "store", format: "code" },
            { label: "Why not", path: "error" },
          ],
        },
        {
          kind: "table",
          path: "backups",
          empty: "No store in reach holds a backup.",
          columns: [
            { label: "Backup", path: "id", format: "code" },
            { label: "Held by", path: "on" },
          ],
        },
      ],
      expect: [
        {
          path: "backups.0.id",
          op: "truthy",
          failure: "No store in reach holds a backup: wait for the region, or follow Scenario 2 once Neon answers.",
        },
      ],
    },
    contactNeonStep,
    {
      id: "choose-target",
      kind: "record",
      title: "Choose the backup and the server in the other region",
      guidance:
        "The newest backup the replica holds is the recovery point; everything written after it is lost (the RPO). The target is a server in another region: a profile of its own in Lifeboat (a new Neon project there, or any PostgreSQL).",
      fields: [
        {
          name: "backup",
          label: "Backup to restore",
          type: "text",
          required: true,
          default: "{{results.where-backups.backups.0.id}}",
        },
        {
          name: "target",
          label: "Profile of the other region's server",
          type: "text",
          required: true,
          default: "region-b",
        },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Region outage: backup {{inputs.choose-target.backup}} from the replica, into a new database on profile {{inputs.choose-target.target}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the choice",
    },
    {
      id: "restore-replica",
      kind: "action",
      title: "Restore from the replica into a new database",
      guidance:
        "The primary store cannot be read, so the restore reads the replica's copy (it says which copy it used and why) into a new database on the other region's server, then proves it: every table's row count must equal its manifest's.",
      reference:
        "lifeboat restore <backup> --store <replica> --target-profile <other region> --target-db region_b_<stamp> --no-owner --no-acl",
      channel: "restore.run",
      payload: {
        profile: "{{profile.name}}",
        id: "{{inputs.choose-target.backup}}",
        targetProfile: "{{inputs.choose-target.target}}",
        database: "region_b_{{now | ustamp}}",
        // Another region's server has its own roles: the objects are owned by the role Lifeboat connects there as.
        noOwner: true,
        noAcl: true,
      },
      progress: true,
      actionLabel: "Restore from the replica",
      show: [
        {
          kind: "fields",
          fields: [
            { label: "Copy used", path: "source.name", format: "code" },
            { label: "Read from", path: "source.description", format: "code" },
            { label: "Why not the primary", path: "source.fallback" },
            { label: "New database", path: "database", format: "code" },
            { label: "Took", path: "durationMs", format: "duration-ms" },
          ],
        },
        { kind: "counts", path: "tables" },
      ],
      expect: [
        { path: "tables", op: "truthy", failure: "The restore reported no tables." },
        {
          path: "source.fallback",
          op: "truthy",
          failure: "The restore read the primary store: the region is not out, so this is not Scenario 5.",
        },
      ],
    },
    {
      id: "switch-app",
      kind: "record",
      title: "Switch the application to the new database",
      guidance:
        "Set the application's DATABASE_URL to the new database (the string below has no password: add the other region's password from your secret store), then restart or redeploy it and smoke test it.",
      reference:
        'vercel env rm DATABASE_URL production && vercel env add DATABASE_URL production\nkubectl set env deployment/dr-amal-app DATABASE_URL="postgresql://…"\nkubectl rollout restart deployment dr-amal-app',
      fields: [
        {
          name: "uri",
          label: "New connection (without the password)",
          type: "text",
          required: true,
          default: "{{results.restore-replica.connection.uri}}",
        },
        { name: "updated", label: "DATABASE_URL points at the new database", type: "checkbox", required: true },
        { name: "restarted", label: "Application restarted or redeployed", type: "checkbox", required: true },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Application switched to {{inputs.switch-app.uri}} (profile {{inputs.choose-target.target}})",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the switch",
    },
    {
      id: "way-back",
      kind: "record",
      title: "Plan the way back",
      guidance:
        "The new database is production now: back it up (with the other region's profile) and keep replicating. When the region returns, take a fresh backup of the new database, restore it into the original server's new database, prove it, switch the application back, then retire the other region's copy.",
      reference:
        "lifeboat backup -p <other region>\nlifeboat restore latest -p <other region> --target-profile <original> --target-db <name> --no-owner --no-acl\n# then switch DATABASE_URL back",
      fields: [
        {
          name: "when",
          label: "Go back when",
          type: "text",
          required: true,
          default: "Neon and the primary store answer again for a full day",
        },
        { name: "owner", label: "Who leads the way back", type: "text", required: true },
        { name: "backups", label: "The new database is backed up and replicated", type: "checkbox", required: true },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Way back (led by {{inputs.way-back.owner}}), when {{inputs.way-back.when}}: back up the new database on {{inputs.choose-target.target}}, restore it to the original server, prove it, switch the application back",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the plan",
    },
    serviceRestoredStep("Stops the RTO clock: the time from detection to now is the achieved recovery time."),
    notifyUsersStep,
    postRecoveryStep,
  ],
};

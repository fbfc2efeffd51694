import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, formatDuration } from "../output.ts";
import { restoreIdentityFile } from "./identity-file.ts";
import { collect, positiveInt } from "./option-helpers.ts";

function verifyText(v: ResultOf<"backups.verify">): string {
  return [
    `backup ${v.id} verified: ${formatBytes(v.bytes)}, sha256 matches, archive readable`,
    `  every table's row count in the archive equals the manifest (${v.tables.length} tables, ${v.tables.reduce((a, t) => a + t.expected, 0)} rows)`,
    v.largeObjects
      ? `  all ${v.largeObjects.count} large objects are in the archive, byte for byte (digest equals the manifest's)`
      : "",
    v.deep
      ? `  deep: restored into a throwaway database (${v.deep.scratch}) and all ${v.deep.tables.length} tables' exact row counts match`
      : "",
    `  took ${formatDuration(v.durationMs)}`,
    v.source
      ? `  read from ${v.source.name === "primary" ? "the primary store" : `replica "${v.source.name}"`} (${v.source.description})${v.source.fallback ? `: the primary could not serve it (${v.source.fallback})` : ""}`
      : "",
    v.lock ? `  protection: ${v.lock.status}: ${v.lock.summary}` : "",
    v.evidence && "error" in v.evidence
      ? `  note: the evidence of this pass could not be stored (${v.evidence.error})`
      : "",
    ...(v.warnings ?? []).map((w) => `  warning: ${w}`),
  ]
    .filter(Boolean)
    .join("\n");
}

function restoreText(v: ResultOf<"restore.run">): string {
  return [
    v.schemaOnly
      ? `schema of ${v.id} restored into "${v.database}" on ${v.host}: SUCCEEDED, WITHOUT DATA`
      : `restore of ${v.id} into "${v.database}" on ${v.host} SUCCEEDED`,
    v.schemaOnly
      ? `  pg_restore exited 0 and all ${v.tables.length} tables exist and are empty (--schema-only: none of the backup's ${v.rowsNotRestored ?? "?"} rows were restored)`
      : `  pg_restore exited 0 and all ${v.tables.length} tables' row counts equal the manifest (${v.rows} rows)`,
    v.largeObjects
      ? `  all ${v.largeObjects.count} large objects restored, byte for byte (digest equals the manifest's)`
      : "",
    `  ${v.created ? "database created by Lifeboat" : "restored into an existing database"}, ${v.jobs} job(s), took ${formatDuration(v.durationMs)}`,
    `  connect: ${v.connection.uri}${v.connection.passwordRef ? ` (password: ${v.connection.passwordRef})` : ""}`,
    ...v.warnings.map((w) => `  note: ${w}`),
  ]
    .filter(Boolean)
    .join("\n");
}

/** The key text of --identity-file: read here, sent as the request's write-only identity field. */
async function identityOf(path: string | undefined): Promise<{ identity?: string }> {
  const identity = await restoreIdentityFile(path, readFile);
  return identity ? { identity } : {};
}

interface RestoreFlags {
  targetDb: string;
  profile?: string;
  targetProfile?: string;
  force?: boolean;
  confirm?: string;
  owner: boolean;
  acl: boolean;
  schemaOnly?: boolean;
  table: string[];
  jobs: number;
  identityFile?: string;
  store?: string;
}

export function registerVerifyRestoreCommands(program: Command, ctx: CliContext): void {
  program
    .command("verify [id]")
    .description(
      "download a backup, check its sha256, decrypt, decompress and count every table's rows in the archive; --deep also restores it into a throwaway database",
    )
    .option("-p, --profile <name>", "profile")
    .option("--deep", "restore into a throwaway database and compare every table's exact row count")
    .option("--identity-file <path>", "age identity file to use instead of the profile's identity reference")
    .option("--store <name>", 'verify the copy in this store ("primary" or a replica\'s name)')
    .action(
      async (
        id: string | undefined,
        o: { profile?: string; deep?: boolean; identityFile?: string; store?: string },
      ) => {
        const request = { profile: o.profile, id, deep: o.deep, store: o.store, ...(await identityOf(o.identityFile)) };
        await invokeAndPrint(ctx, "backups.verify", request, verifyText);
      },
    );

  program
    .command("restore <id>")
    .description("restore a backup into a new (or empty) database and prove every table's row count")
    .requiredOption(
      "--target-db <name>",
      "database to restore into: created if missing, used if empty, refused if it holds data",
    )
    .option("-p, --profile <name>", "profile whose backup is restored")
    .option("--target-profile <name>", "restore onto this profile's server instead of the backup profile's")
    .option(
      "--force",
      "replace a target that holds data, as a whole (needs --confirm with its name; the old one is kept, renamed)",
    )
    .option("--confirm <name>", "type the target database name to confirm an overwrite")
    .option("--no-owner", "do not restore object ownership (Neon roles differ)")
    .option("--no-acl", "do not restore privileges (GRANT/REVOKE)")
    .option("--schema-only", "restore the schema, no data")
    .option("--table <name>", "restore only this table (repeatable; name or schema.table)", collect, [])
    .option(
      "--jobs <n>",
      "parallel pg_restore jobs; >1 decrypts the archive into a temporary file without a name (pg_restore must seek in it)",
      positiveInt,
      1,
    )
    .option("--identity-file <path>", "age identity file to use instead of the profile's identity reference")
    .option(
      "--store <name>",
      'restore from this store ("primary" or a replica\'s name; default the primary, or a replica when it is down)',
    )
    .action(async (id: string, o: RestoreFlags) => {
      const request = {
        profile: o.profile,
        id,
        database: o.targetDb,
        targetProfile: o.targetProfile,
        force: o.force,
        confirm: o.confirm,
        noOwner: !o.owner,
        noAcl: !o.acl,
        schemaOnly: o.schemaOnly,
        ...(o.table.length ? { tables: o.table } : {}),
        jobs: o.jobs,
        store: o.store,
        ...(await identityOf(o.identityFile)),
      };
      await invokeAndPrint(ctx, "restore.run", request, restoreText);
    });
}

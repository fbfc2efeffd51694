import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { Profile, ProfileInput } from "../../../shared/config.ts";
import { EXIT_CODES, LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { table } from "../output.ts";
import { collect } from "./option-helpers.ts";

interface AddOptions {
  fromFile?: string;
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  passwordRef?: string;
  sslmode?: string;
  s3Bucket?: string;
  s3Prefix?: string;
  s3Region?: string;
  s3Endpoint?: string;
  s3PathStyle?: boolean;
  s3AccessKeyRef?: string;
  s3SecretKeyRef?: string;
  s3Sse?: string;
  s3KmsKeyId?: string;
  folder?: string;
  recipient: string[];
  identityRef?: string;
  pgBinDir?: string;
}

/** --from-file: the whole profile as JSON (the name on the command line wins). */
async function profileFile(path: string): Promise<ProfileInput> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new LifeboatError("USAGE", `cannot read ${path}: ${(e as Error).message}`, "Check the path of --from-file.");
  }
  try {
    return JSON.parse(text) as ProfileInput;
  } catch {
    throw new LifeboatError("USAGE", `${path} is not JSON`, "Give --from-file a profile as a JSON object.");
  }
}

function profileFromFlags(name: string, o: AddOptions): ProfileInput {
  const missing = (["host", "database", "user"] as const).filter((k) => !o[k]);
  if (missing.length)
    throw new LifeboatError(
      "USAGE",
      `profile add needs ${missing.map((m) => `--${m}`).join(", ")}`,
      "Or give a whole profile as JSON with --from-file.",
    );
  if (!o.s3Bucket === !o.folder)
    throw new LifeboatError(
      "USAGE",
      "profile add needs exactly one storage target: --s3-bucket or --folder",
      "For S3-compatible stores add --s3-endpoint and --s3-path-style.",
    );
  if (!o.recipient.length)
    throw new LifeboatError(
      "USAGE",
      "profile add needs at least one --recipient age1…",
      "Make a key pair with `lifeboat keys generate`; add an escrow recipient with a second --recipient.",
    );
  return {
    name,
    database: {
      host: o.host!,
      port: o.port ? Number(o.port) : 5432,
      database: o.database!,
      user: o.user!,
      ...(o.passwordRef ? { password: o.passwordRef } : {}),
      ...(o.sslmode ? { sslmode: o.sslmode as Profile["database"]["sslmode"] } : {}),
    },
    storage: o.folder
      ? { kind: "folder", path: o.folder }
      : {
          kind: "s3",
          bucket: o.s3Bucket!,
          ...(o.s3Prefix ? { prefix: o.s3Prefix } : {}),
          ...(o.s3Region ? { region: o.s3Region } : {}),
          ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}),
          ...(o.s3PathStyle ? { forcePathStyle: true } : {}),
          ...(o.s3AccessKeyRef ? { accessKeyId: o.s3AccessKeyRef } : {}),
          ...(o.s3SecretKeyRef ? { secretAccessKey: o.s3SecretKeyRef } : {}),
          ...(o.s3Sse ? { serverSideEncryption: o.s3Sse as "AES256" | "aws:kms" } : {}),
          ...(o.s3KmsKeyId ? { sseKmsKeyId: o.s3KmsKeyId } : {}),
        },
    encryption: { recipients: o.recipient, ...(o.identityRef ? { identity: o.identityRef } : {}) },
    tools: o.pgBinDir ? { pgBinDir: o.pgBinDir } : {},
  };
}

export function registerProfileCommands(program: Command, ctx: CliContext): void {
  const profile = program
    .command("profile")
    .description("manage protected databases: connection, backup storage, encryption keys");

  profile
    .command("add <name>")
    .description("add or replace a profile (secret fields take keychain:NAME or env:VAR references)")
    .option("--from-file <path>", "read the whole profile from a JSON file")
    .option("--host <host>", "database host (the direct, unpooled endpoint)")
    .option("--port <port>", "database port", "5432")
    .option("--database <name>", "database name")
    .option("--user <user>", "database role")
    .option("--password-ref <ref>", "keychain:NAME or env:VAR holding the password")
    .option("--sslmode <mode>", "disable|prefer|require|verify-ca|verify-full (default require)")
    .option("--s3-bucket <bucket>", "S3 bucket for backups")
    .option("--s3-prefix <prefix>", "key prefix inside the bucket")
    .option("--s3-region <region>", "S3 region (default us-east-1)")
    .option("--s3-endpoint <url>", "S3-compatible endpoint URL")
    .option("--s3-path-style", "path-style addressing (most S3-compatible stores)")
    .option("--s3-access-key-ref <ref>", "reference to the access key id (else the AWS default chain)")
    .option("--s3-secret-key-ref <ref>", "reference to the secret access key")
    .option("--s3-sse <mode>", "server-side encryption header: AES256 or aws:kms")
    .option("--s3-kms-key-id <id>", "KMS key id for aws:kms")
    .option("--folder <path>", "a local folder (USB drive, NAS mount) instead of S3")
    .option("--recipient <age1…>", "age recipient to encrypt to (repeat for an escrow key)", collect, [])
    .option("--identity-ref <ref>", "reference to the age identity used to verify and restore")
    .option("--pg-bin-dir <dir>", "folder holding pg_dump/pg_restore/psql to prefer")
    .action(async (name: string, o: AddOptions) => {
      const profile = o.fromFile ? { ...(await profileFile(o.fromFile)), name } : profileFromFlags(name, o);
      const configPath = (await ctx.session()).configPath;
      await invokeAndPrint(ctx, "profiles.save", { profile }, (p) => `profile "${p.name}" saved to ${configPath}`);
    });

  profile
    .command("list")
    .description("list profiles")
    .action(async () => {
      await invokeAndPrint(
        ctx,
        "profiles.list",
        {},
        ({ profiles: ps, configPath }) =>
          ps.length
            ? table([
                ["NAME", "DATABASE", "STORAGE"],
                ...ps.map((p) => [
                  p.name,
                  `${p.database.user}@${p.database.host}:${p.database.port}/${p.database.database}`,
                  p.storage.kind === "s3" ? `s3://${p.storage.bucket}/${p.storage.prefix}` : p.storage.path,
                ]),
              ])
            : `no profiles in ${configPath}; add one with \`lifeboat profile add\``,
        // Before the CLI went through the router, --json printed the list itself; scripts read it so.
        { jsonValue: (v) => v.profiles },
      );
    });

  profile
    .command("show [name]")
    .description("show a profile (references only; no secret values)")
    .action(async (name?: string) => {
      await invokeAndPrint(ctx, "profiles.get", { name }, (v) => JSON.stringify(v, null, 2));
    });

  profile
    .command("remove <name>")
    .description("remove a profile (its backups and keychain entries are left alone)")
    .action(async (name: string) => {
      await invokeAndPrint(ctx, "profiles.remove", { name }, () => `profile "${name}" removed`);
    });

  profile
    .command("test [name]")
    .description("check everything a backup and a restore need: secrets, database, tools, storage, keys")
    .action(async (name?: string) => {
      await invokeAndPrint(
        ctx,
        "profiles.test",
        { name },
        (r) =>
          table([
            ["CHECK", "RESULT", "DETAIL"],
            ...r.checks.map((c) => [c.name, c.ok ? "ok" : c.warning ? "warn" : "FAIL", c.detail]),
          ]),
        { exitCode: (r) => (r.ok ? 0 : EXIT_CODES.CONNECTION) },
      );
    });
}

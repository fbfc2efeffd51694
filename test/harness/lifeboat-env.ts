// One real environment for end-to-end tests: a PostgreSQL cluster holding the clinical sample data, an S3 server,
// a private OS keychain, an age key pair in that keychain, a journal folder and a config file whose profile refers to
// all of it by reference only.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProfileInput } from "../../src/shared/config.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../../src/main/sample/clinical-sample.ts";
import { setKeychainSecret } from "../../src/main/secrets/keychain.ts";
import { startKeyring, type KeyringHarness } from "./keyring.ts";
import { startS3, type S3Harness } from "./s3.ts";
import { runCli, type CliRun } from "./cli.ts";

export const DB_PASSWORD = "pg-Secret-7f3a9c1e";
export const BUCKET = "lifeboat-backups";

export interface LifeboatEnv {
  cluster: LocalCluster;
  s3: S3Harness;
  keyring: KeyringHarness;
  dir: string;
  configPath: string;
  identity: string;
  recipient: string;
  env: NodeJS.ProcessEnv;
  profile: ProfileInput;
  cli(args: string[], opts?: { stdin?: string }): Promise<CliRun>;
  stop(): Promise<void>;
}

/** A profile option for startLifeboatEnv: the profile's S3 traffic goes through `proxy`, which forwards to the server. */
export function throughProxy(proxy: { url: string; target: string }): (p: ProfileInput) => ProfileInput {
  return (p) => {
    if (p.storage.kind !== "s3") throw new Error("the test profile stores to S3");
    proxy.target = p.storage.endpoint!;
    return { ...p, storage: { ...p.storage, endpoint: proxy.url } };
  };
}

export async function startLifeboatEnv(
  opts: { scale?: number; profile?: (p: ProfileInput) => ProfileInput } = {},
): Promise<LifeboatEnv | { skip: string }> {
  const keyring = await startKeyring();
  if ("skip" in keyring) return keyring;
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-e2e-"));
  const cluster = await LocalCluster.create({ password: DB_PASSWORD });
  const s3 = await startS3({ buckets: [BUCKET] });
  await cluster.query("CREATE DATABASE clinic");
  const conn = cluster.conn("clinic");
  await createClinicalSchema(conn);
  await generateClinicalData(conn, { scale: opts.scale ?? 1, seed: 42 });

  const { identity, recipient } = generateIdentity();
  await setKeychainSecret("test-pg-password", DB_PASSWORD);
  await setKeychainSecret("test-age-identity", identity);
  const env: NodeJS.ProcessEnv = {
    ...keyring.env,
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
    LIFEBOAT_JOURNAL_DIR: join(dir, "journal"),
    TEST_S3_KEY: s3.accessKeyId,
    TEST_S3_SECRET: s3.secretAccessKey,
  };
  const base: ProfileInput = {
    name: "clinic",
    database: {
      host: "127.0.0.1",
      port: cluster.port,
      database: "clinic",
      user: conn.user,
      password: "keychain:test-pg-password",
      sslmode: "disable",
    },
    storage: {
      kind: "s3",
      bucket: BUCKET,
      prefix: "nightly",
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:TEST_S3_KEY",
      secretAccessKey: "env:TEST_S3_SECRET",
    },
    encryption: { recipients: [recipient], identity: "keychain:test-age-identity" },
  };
  const profile = opts.profile ? opts.profile(base) : base;
  const configPath = join(dir, "config.json");
  await writeFile(configPath, JSON.stringify({ version: 1, profiles: [profile] }, null, 2), { mode: 0o600 });
  return {
    cluster,
    s3,
    keyring,
    dir,
    configPath,
    identity,
    recipient,
    env,
    profile,
    cli: (args, o = {}) =>
      runCli(["--config", configPath, ...args], { env, ...(o.stdin !== undefined ? { stdin: o.stdin } : {}) }),
    stop: async () => {
      await cluster.destroy().catch(() => undefined);
      await s3.stop().catch(() => undefined);
      await keyring.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

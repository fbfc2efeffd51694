// One environment for the retention, Object Lock, replica and attachment tests: a Ceph RGW cluster (real Object Lock
// and versioning), a PostgreSQL cluster with a small clinical database, an age key pair, a real journal, and profiles
// whose secrets are env: references (no keychain needed). One per test file: started in before(), stopped in after().
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { validateProfile } from "../../src/main/config/config-validate.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import type { EngineContext } from "../../src/main/engine/engine-context.ts";
import { openJournal, type OpenJournal } from "../../src/main/journal/journal.ts";
import { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../../src/main/sample/clinical-sample.ts";
import { resolveSecret } from "../../src/main/secrets/resolve.ts";
import type { Profile, ProfileInput, S3Storage, StorageConfig } from "../../src/shared/config.ts";
import { startRgw, type RgwHarness, type RgwOptions } from "./rgw.ts";

export const PG_PASSWORD = "pg-Protect-51c0ffee";

export interface ProtectionEnv {
  rgw: RgwHarness;
  cluster: LocalCluster;
  dir: string;
  env: NodeJS.ProcessEnv;
  identity: string;
  recipient: string;
  journal: OpenJournal;
  /** An engine context with the real journal and env: secrets; a signal when given. */
  ctx(extra?: Partial<EngineContext>): EngineContext;
  /** The storage section for a bucket on the RGW cluster (env: references to its keys). */
  s3(bucket: string, prefix?: string): S3Storage;
  /** A validated profile backing up the clinic database to `storage`. */
  profile(storage: StorageConfig, extra?: Partial<ProfileInput>): Profile;
  stop(): Promise<void>;
}

export async function startProtectionEnv(opts: { rgw?: RgwOptions; scale?: number } = {}): Promise<ProtectionEnv> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-protect-"));
  const [rgw, cluster] = await Promise.all([startRgw(opts.rgw), LocalCluster.create({ password: PG_PASSWORD })]);
  await cluster.query("CREATE DATABASE clinic");
  const conn = cluster.conn("clinic");
  await createClinicalSchema(conn);
  await generateClinicalData(conn, { scale: opts.scale ?? 0.2, seed: 7 });
  const { identity, recipient } = generateIdentity();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEST_PG_PASSWORD: PG_PASSWORD,
    TEST_RGW_KEY: rgw.accessKeyId,
    TEST_RGW_SECRET: rgw.secretAccessKey,
    TEST_AGE_IDENTITY: identity,
    LIFEBOAT_JOURNAL_DIR: join(dir, "journal"),
  };
  const journal = await openJournal({ dir: join(dir, "journal") });
  return {
    rgw,
    cluster,
    dir,
    env,
    identity,
    recipient,
    journal,
    ctx: (extra = {}) => ({
      resolveSecret: (ref: string) => resolveSecret(ref, env),
      journal,
      env,
      tmpDir: dir,
      ...extra,
    }),
    s3: (bucket, prefix = "nightly") => ({
      kind: "s3",
      bucket,
      prefix,
      region: "us-east-1",
      endpoint: rgw.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:TEST_RGW_KEY",
      secretAccessKey: "env:TEST_RGW_SECRET",
    }),
    profile: (storage, extra = {}) =>
      validateProfile({
        name: "clinic",
        database: {
          host: "127.0.0.1",
          port: cluster.port,
          database: "clinic",
          user: conn.user,
          password: "env:TEST_PG_PASSWORD",
          sslmode: "disable",
        },
        storage,
        encryption: { recipients: [recipient], identity: "env:TEST_AGE_IDENTITY" },
        ...extra,
      }),
    stop: async () => {
      await journal.close().catch(() => undefined);
      await Promise.all([rgw.stop().catch(() => undefined), cluster.destroy().catch(() => undefined)]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One environment for the enclosing file; a getter, since it exists only once before() has run. */
export function useProtectionEnv(opts: { rgw?: RgwOptions; scale?: number } = {}): () => ProtectionEnv {
  let env: ProtectionEnv | undefined;
  before(async () => {
    env = await startProtectionEnv(opts);
  });
  after(async () => {
    await env?.stop();
  });
  return () => {
    if (!env) throw new Error("useProtectionEnv: not started yet (use it inside a test)");
    return env;
  };
}

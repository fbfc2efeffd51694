// A real world for the due-job runner: a PostgreSQL cluster holding the clinical sample, the local S3 server, an age
// key, a journal and a state folder in a temp dir, secrets in environment variables (as a scheduler has them), and a
// clock the test moves. `deps()` builds the runner's dependencies on top of it.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateProfile } from "../../src/main/config/config-validate.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { profileStore } from "../../src/main/engine/profile-runtime.ts";
import { openJournal, type OpenJournal } from "../../src/main/journal/journal.ts";
import type { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../../src/main/sample/clinical-sample.ts";
import type { RunnerDeps } from "../../src/main/schedule/runner-deps.ts";
import { resolveSecret } from "../../src/main/secrets/resolve.ts";
import type { Profile, ProfileInput } from "../../src/shared/config.ts";
import { startCluster } from "./pg.ts";
import { startS3, type S3Harness } from "./s3.ts";

export const SCHEDULE_BUCKET = "scheduled-backups";

export class FakeClock {
  t: number;
  /** Called on every sleep after the clock moved: lets a test change the world between two tries. */
  onSleep: ((ms: number) => Promise<void> | void) | undefined;
  readonly sleeps: number[] = [];
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += ms;
    await this.onSleep?.(ms);
  };
}

export interface ScheduleEnv {
  dir: string;
  cluster: LocalCluster;
  s3: S3Harness;
  env: NodeJS.ProcessEnv;
  journal: OpenJournal;
  stateDir: string;
  clock: FakeClock;
  /** A valid profile named `name` backing up the sample database to the S3 server, with `extra` merged in. */
  profile(name: string, extra?: Partial<ProfileInput>): Profile;
  deps(over?: Partial<RunnerDeps>): RunnerDeps;
  stop(): Promise<void>;
}

export async function startScheduleEnv(start = "2026-03-10T02:05:00Z"): Promise<ScheduleEnv> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-schedule-"));
  const cluster = await startCluster({ password: "sched-pw-41c2" });
  const s3 = await startS3({ buckets: [SCHEDULE_BUCKET] });
  await cluster.query("CREATE DATABASE clinic");
  const conn = cluster.conn("clinic");
  await createClinicalSchema(conn);
  await generateClinicalData(conn, { scale: 0.2, seed: 7 });
  const { identity, recipient } = generateIdentity();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SCHED_DB_PASSWORD: "sched-pw-41c2",
    SCHED_S3_KEY: s3.accessKeyId,
    SCHED_S3_SECRET: s3.secretAccessKey,
    SCHED_AGE_IDENTITY: identity,
    LIFEBOAT_JOURNAL_DIR: join(dir, "journal"),
  };
  const journal = await openJournal({ dir: join(dir, "journal") });
  const stateDir = join(dir, "schedule");
  await mkdir(stateDir);
  const clock = new FakeClock(start);
  const base = (name: string): ProfileInput => ({
    name,
    database: {
      host: "127.0.0.1",
      port: cluster.port,
      database: "clinic",
      user: conn.user,
      password: "env:SCHED_DB_PASSWORD",
      sslmode: "disable",
    },
    storage: {
      kind: "s3",
      bucket: SCHEDULE_BUCKET,
      prefix: "nightly",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: "env:SCHED_S3_KEY",
      secretAccessKey: "env:SCHED_S3_SECRET",
    },
    encryption: { recipients: [recipient], identity: "env:SCHED_AGE_IDENTITY" },
  });
  const secret = (ref: string) => resolveSecret(ref, env);
  return {
    dir,
    cluster,
    s3,
    env,
    journal,
    stateDir,
    clock,
    profile: (name, extra = {}) => validateProfile({ ...base(name), ...extra }),
    deps: (over = {}) => ({
      journal,
      engine: { resolveSecret: secret, env },
      store: (p) => profileStore(p, { resolveSecret: secret }),
      stateDir,
      runner: "test",
      now: clock.now,
      sleep: clock.sleep,
      http: { timeoutMs: 2000, tries: 1 },
      ...over,
    }),
    stop: async () => {
      await journal.close().catch(() => undefined);
      await cluster.destroy().catch(() => undefined);
      await s3.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

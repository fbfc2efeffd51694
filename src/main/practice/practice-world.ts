// The practice world of `lifeboat console --sandbox`, a place a new user can land in: the Neon sandbox (real
// PostgreSQL with point-in-time recovery, seeded with the clinical sample), a local S3 server, an age key pair and a
// profile pointing at all of them, with its own config, journal and exports (session-places.ts decides where), so
// practice never mixes with the operator's real profiles. Its secrets are env: variables of the process running it,
// also kept 0600 beside its config (practice-env.ts) so a CLI pointed at the same sandbox can use the same profile.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_DRILL_TABLES, type ProfileInput } from "../../shared/config.ts";
import { writeFileAtomic } from "../config/write-file-atomic.ts";
import { generateIdentity, identityToRecipient } from "../crypto/age-keys.ts";
import { rememberSecret } from "../secrets/redact.ts";
import { startSandbox, type Sandbox } from "../sandbox/index.ts";
import { startLocalS3, type LocalS3 } from "../sandbox/local-s3.ts";
import { sessionPlaces } from "../session/session-places.ts";
import { writePracticeEnv, type PracticeVars } from "../session/practice-env.ts";
import { regionOutageStaged, startRegionB, type RegionB } from "./region-b-world.ts";

export const SANDBOX_PROFILE = "sandbox";
const BUCKET = "lifeboat-sandbox";

export interface PracticeWorld {
  /** The Neon sandbox's folder; a session opened with `sandbox: true` and this folder works on this world. */
  sandboxDir: string;
  /** The environment the practice profile's env: references resolve in. */
  env: NodeJS.ProcessEnv;
  sandbox: Sandbox;
  s3: LocalS3;
  /** With the sandbox's region-outage incident staged: region B's replica and server (region-b-world.ts). */
  regionB?: RegionB;
  stop(): Promise<void>;
}

async function practiceIdentity(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const { identity } = generateIdentity();
  await writeFile(file, `# Lifeboat sandbox practice key: protects practice backups only\n${identity}\n`, {
    mode: 0o600,
  });
  return identity;
}

export async function startPracticeWorld(
  opts: { sandboxDir?: string; env?: NodeJS.ProcessEnv; say?: (line: string) => void } = {},
): Promise<PracticeWorld> {
  const say = opts.say ?? (() => undefined);
  const baseEnv = opts.env ?? process.env;
  const places = sessionPlaces({
    sandbox: true,
    env: baseEnv,
    ...(opts.sandboxDir ? { sandboxDir: opts.sandboxDir } : {}),
  });
  const sandboxDir = places.sandboxDir!;
  const home = places.practiceHome!;
  await mkdir(home, { recursive: true, mode: 0o700 });
  say("Starting the Neon sandbox (real PostgreSQL with point-in-time recovery)…");
  const sandbox = await startSandbox({ dir: sandboxDir, say });
  let s3: LocalS3 | undefined;
  let regionB: RegionB | undefined;
  try {
    s3 = await startLocalS3({ dir: join(home, "s3"), buckets: [BUCKET] });
    const identity = (await practiceIdentity(join(home, "age-identity.txt")))
      .split("\n")
      .filter((l) => l.startsWith("AGE-SECRET-KEY-"))
      .join("\n");
    rememberSecret(identity);
    // Through the sandbox's proxy, as a Neon compute is reached: TLS, the endpoint named in the options.
    const conn = sandbox.proxyConnInfo();
    if (!conn) throw new Error("the sandbox's default branch has no compute");
    const vars: PracticeVars = {
      LIFEBOAT_SANDBOX_DB_PASSWORD: conn.password ?? "",
      LIFEBOAT_SANDBOX_S3_KEY: s3.accessKeyId,
      LIFEBOAT_SANDBOX_S3_SECRET: s3.secretAccessKey,
      LIFEBOAT_SANDBOX_AGE_IDENTITY: identity,
      LIFEBOAT_SANDBOX_API_KEY: sandbox.apiKey,
    };
    const encryption = { recipients: [identityToRecipient(identity)], identity: "env:LIFEBOAT_SANDBOX_AGE_IDENTITY" };
    if (regionOutageStaged(sandbox)) {
      say("The sandbox's region is out: starting region B's server (a second local PostgreSQL)…");
      regionB = await startRegionB(home, encryption);
      vars.LIFEBOAT_SANDBOX_REGION_B_PASSWORD = regionB.password;
    }
    const env: NodeJS.ProcessEnv = { ...baseEnv, ...vars };
    const profile: ProfileInput = {
      name: SANDBOX_PROFILE,
      database: {
        host: conn.host,
        port: conn.port,
        database: conn.database,
        user: conn.user,
        password: "env:LIFEBOAT_SANDBOX_DB_PASSWORD",
        sslmode: "require",
        ...(conn.options ? { options: conn.options } : {}),
      },
      storage: {
        kind: "s3",
        bucket: BUCKET,
        prefix: "nightly",
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: "env:LIFEBOAT_SANDBOX_S3_KEY",
        secretAccessKey: "env:LIFEBOAT_SANDBOX_S3_SECRET",
      },
      ...(regionB ? { replicas: [regionB.replica] } : {}),
      encryption,
      neon: {
        projectId: sandbox.projectId,
        apiKey: "env:LIFEBOAT_SANDBOX_API_KEY",
        apiHost: sandbox.apiUrl,
        database: sandbox.database,
        role: sandbox.role,
        // No offset and no required window: they follow the plan the sandbox plays, and a young sandbox's age.
        drill: { tables: [...DEFAULT_DRILL_TABLES], maxDropPercent: 10 },
      },
      // The seed's recovery contacts and escalation path, with practice names.
      contacts: [
        { role: "Database Admin", name: "You (practice)", contact: "dba@example.org" },
        { role: "DevOps Lead", name: "Sam Ortiz (practice)", contact: "devops@example.org" },
        { role: "CTO", name: "Dana Kim (practice)", contact: "cto@example.org" },
        { role: "Neon Support", name: "Neon Team", contact: "support@neon.tech" },
      ],
      escalation: [
        "Detect: monitoring alert fires (DB connectivity loss)",
        "Page the on-call Database Admin",
        "Critical: CTO + DevOps on call immediately",
        "Execute recovery: follow the scenario runbook",
        "Verify: run smoke tests",
        "Communicate: notify users, document the incident",
      ],
    };
    // Rewritten at every start: ports and the sandbox's API key change between sessions.
    await writeFileAtomic(
      places.configPath,
      `${JSON.stringify({ version: 1, profiles: regionB ? [profile, regionB.profile] : [profile] }, null, 2)}\n`,
      0o600,
    );
    await writePracticeEnv(home, vars);
    const s3Started = s3;
    const regionBStarted = regionB;
    return {
      sandboxDir,
      env,
      sandbox,
      s3,
      ...(regionB ? { regionB } : {}),
      stop: async () => {
        await s3Started.stop().catch(() => undefined);
        await regionBStarted?.server.destroy().catch(() => undefined);
        await sandbox.stop().catch(() => undefined);
      },
    };
  } catch (e) {
    await s3?.stop().catch(() => undefined);
    await regionB?.server.destroy().catch(() => undefined);
    await sandbox.stop().catch(() => undefined);
    throw e;
  }
}

// Scenario 5 (region outage) in the practice world. When the sandbox's staged incident is region-outage, the practice
// world also plays the rest of the outage the sandbox cannot: the practice profile gets a folder replica "region-b"
// (in the practice home beside the sandbox, since `lifeboat sandbox --reset` refuses a sandbox folder holding files
// not its own) that the real replication fills with the practice store's backups, then the local S3 server standing
// for region A's store is stopped; and a profile "region-b" (the runbook's default target) points at a second, small
// local PostgreSQL cluster standing for region B's server, made at this start and removed when the world stops.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ProfileInput } from "../../shared/config.ts";
import type { ApiRouter } from "../api/router.ts";
import { LocalCluster } from "../postgres/local-cluster.ts";
import type { Sandbox } from "../sandbox/index.ts";
import type { LocalS3 } from "../sandbox/local-s3.ts";
import { rememberSecret } from "../secrets/redact.ts";

/** The replica's name in the practice profile and the other region's server profile: the runbook's default target. */
export const REGION_B = "region-b";
export const REGION_B_PASSWORD_ENV = "LIFEBOAT_SANDBOX_REGION_B_PASSWORD";

export interface RegionB {
  /** The practice profile's replica standing for region B's store. */
  replica: NonNullable<ProfileInput["replicas"]>[number];
  /** The profile of region B's server. */
  profile: ProfileInput;
  password: string;
  server: LocalCluster;
}

export function regionOutageStaged(sandbox: Sandbox): boolean {
  return sandbox.incidents().some((i) => i.kind === "region-outage");
}

/** Region B: the replica's folder, a folder for its own backups, and its server (a second local cluster). */
export async function startRegionB(home: string, encryption: ProfileInput["encryption"]): Promise<RegionB> {
  const replicaDir = join(home, REGION_B, "replica");
  const backupsDir = join(home, REGION_B, "backups");
  for (const d of [replicaDir, backupsDir]) await mkdir(d, { recursive: true, mode: 0o700 });
  const password = randomBytes(18).toString("base64url");
  rememberSecret(password);
  const server = await LocalCluster.create({ password });
  return {
    replica: { name: REGION_B, storage: { kind: "folder", path: replicaDir } },
    profile: {
      name: REGION_B,
      database: {
        host: server.host,
        port: server.port,
        database: "postgres",
        user: server.user,
        password: `env:${REGION_B_PASSWORD_ENV}`,
        sslmode: "disable",
      },
      storage: { kind: "folder", path: backupsDir },
      encryption,
    },
    password,
    server,
  };
}

/**
 * Before the practice session is used: the replica catches up with region A's store (the real replication, journaled),
 * then region A's store (the local S3 server) goes down for as long as this world runs.
 */
export async function takeRegionADown(
  router: ApiRouter,
  s3: LocalS3,
  profile: string,
  say: (line: string) => void,
): Promise<void> {
  const r = await router.invoke("replicas.run", { profile, replica: REGION_B });
  const outcome = r.ok ? r.value.replicas[0] : undefined;
  const held = outcome ? outcome.present + outcome.copied.length : 0;
  await s3.stop();
  if (!r.ok || outcome?.error) {
    say(
      `Region outage: the replica ${REGION_B} could not be brought up to date: ${r.ok ? outcome?.error : r.error.message}`,
    );
  }
  say(
    held
      ? `Region outage staged: region A's store (the local S3 server) is stopped; the replica ${REGION_B} holds ${held} backup(s); profile ${REGION_B} is region B's server (a second local PostgreSQL, removed when the console stops).`
      : `Region outage staged, but the practice store held no backup to copy to the replica ${REGION_B}: run lifeboat sandbox --reset, open the console once so it makes its first backup, then stage the outage again.`,
  );
}

// The practice world's secrets, for a CLI pointed at it (`lifeboat --sandbox …`) while the console runs it. They
// protect only local practice resources: the sandbox's own database password (already in its 0600 state file), the
// local S3 server's fixed keys, the practice age key (already kept 0600 beside this file) and the sandbox API key of
// the running session. Written 0600 and rewritten at every start, like the config that refers to them.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../config/write-file-atomic.ts";
import { rememberSecret } from "../secrets/redact.ts";

const FILE = "practice-env.json";

/** The env: variables the practice profile refers to. */
export const PRACTICE_VARS = [
  "LIFEBOAT_SANDBOX_DB_PASSWORD",
  "LIFEBOAT_SANDBOX_S3_KEY",
  "LIFEBOAT_SANDBOX_S3_SECRET",
  "LIFEBOAT_SANDBOX_AGE_IDENTITY",
  "LIFEBOAT_SANDBOX_API_KEY",
  // Only while the sandbox's region-outage incident is staged: region B's server (practice/region-b-world.ts).
  "LIFEBOAT_SANDBOX_REGION_B_PASSWORD",
] as const;
type RegionBVar = "LIFEBOAT_SANDBOX_REGION_B_PASSWORD";
export type PracticeVars = Record<Exclude<(typeof PRACTICE_VARS)[number], RegionBVar>, string> &
  Partial<Record<RegionBVar, string>>;

export async function writePracticeEnv(home: string, vars: PracticeVars): Promise<void> {
  await writeFileAtomic(join(home, FILE), `${JSON.stringify(vars, null, 2)}\n`, 0o600);
}

/** The practice variables the last console start wrote, or none when no practice world was ever started here. */
export async function readPracticeEnv(home: string): Promise<Partial<PracticeVars>> {
  let text: string;
  try {
    text = await readFile(join(home, FILE), "utf8");
  } catch {
    return {};
  }
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const vars: Partial<PracticeVars> = {};
  for (const name of PRACTICE_VARS) {
    const v = parsed[name];
    if (typeof v === "string" && v) {
      rememberSecret(v);
      vars[name] = v;
    }
  }
  return vars;
}

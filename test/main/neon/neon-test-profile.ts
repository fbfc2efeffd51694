import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Profile, type NeonConfig } from "../../../src/shared/config.ts";
import { isLifeboatError, type LifeboatError } from "../../../src/shared/errors.ts";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import type { EngineContext } from "../../../src/main/engine/engine-context.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";

export const API_KEY = "napi_test_key_8d1f0e2c7b";

export function neonProfile(apiHost: string, neon: Partial<NeonConfig> = {}): Profile {
  return Profile.parse({
    name: "clinic",
    database: { host: "127.0.0.1", database: "neondb", user: "neondb_owner" },
    storage: { kind: "folder", path: "/nonexistent" },
    encryption: { recipients: [generateIdentity().recipient] },
    neon: { projectId: "quiet-lake-123456", apiKey: "env:TEST_NEON_KEY", apiHost, ...neon },
  });
}

export interface TestContext extends EngineContext {
  journal: OpenJournal;
  dir: string;
  /** Every journal line written so far, as text. */
  journalText(): Promise<string>;
  dispose(): Promise<void>;
}

export async function testContext(env: NodeJS.ProcessEnv = { TEST_NEON_KEY: API_KEY }): Promise<TestContext> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-neon-"));
  const journal = await openJournal({ dir: join(dir, "journal") });
  return {
    dir,
    journal,
    resolveSecret: (ref) => resolveSecret(ref, env),
    env,
    async journalText() {
      await journal.query({ limit: 1 });
      const files = (await readdir(journal.dir)).filter((f) => f.endsWith(".jsonl"));
      return (await Promise.all(files.map((f) => readFile(join(journal.dir, f), "utf8")))).join("");
    },
    async dispose() {
      await journal.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The LifeboatError `p` rejects with (a test failure when it resolves, or rejects with anything else). */
export async function failure(p: Promise<unknown>): Promise<LifeboatError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isLifeboatError(e), `not a LifeboatError: ${String(e)}`);
    return e;
  }
  assert.fail("expected a failure");
}

import { test } from "node:test";
import assert from "node:assert/strict";
import { Profile } from "../../../../src/shared/config.ts";
import { generateIdentity } from "../../../../src/main/crypto/age-keys.ts";
import {
  isProductionTarget,
  restoreRequest,
  targetValid,
} from "../../../../src/renderer/src/screens/restore/restore-plan.ts";

const profile = Profile.parse({
  name: "prod",
  database: { host: "db", database: "neondb", user: "u" },
  storage: { kind: "folder", path: "/b" },
  encryption: { recipients: [generateIdentity().recipient] },
});
const source = { kind: "backup" as const, id: "20260117T020000Z-ab12" };

test("production is a target only when its name is typed exactly, and then the request says force + confirm", () => {
  assert.equal(targetValid({ source, target: { kind: "production", confirm: "neondb " } }, profile), false);
  assert.equal(targetValid({ source, target: { kind: "production", confirm: "NEONDB" } }, profile), false);
  const plan = { source, target: { kind: "production" as const, confirm: "neondb" } };
  assert.equal(targetValid(plan, profile), true);
  assert.equal(isProductionTarget(plan.target), true);
  assert.deepEqual(restoreRequest(profile, plan), {
    profile: "prod",
    id: source.id,
    database: "neondb",
    force: true,
    confirm: "neondb",
  });
});

test("a new database may not be production under another name, and needs a plain identifier", () => {
  assert.equal(targetValid({ source, target: { kind: "new-database", database: "neondb" } }, profile), false);
  assert.equal(targetValid({ source, target: { kind: "new-database", database: "a; drop" } }, profile), false);
  const plan = { source, target: { kind: "new-database" as const, database: "restored_20260117_1430" } };
  assert.equal(targetValid(plan, profile), true);
  assert.deepEqual(restoreRequest(profile, plan), {
    profile: "prod",
    id: source.id,
    database: "restored_20260117_1430",
  });
  assert.equal(isProductionTarget(plan.target), false);
});

test("an in-place Neon restore needs the branch's name typed", () => {
  assert.equal(
    targetValid(
      { source: { kind: "neon", at: "1 hour ago" }, target: { kind: "neon-in-place", branch: "main", confirm: "" } },
      profile,
    ),
    false,
  );
  assert.equal(
    targetValid(
      {
        source: { kind: "neon", at: "1 hour ago" },
        target: { kind: "neon-in-place", branch: "main", confirm: "main" },
      },
      profile,
    ),
    true,
  );
  assert.equal(
    restoreRequest(profile, {
      source: { kind: "neon", at: "1 hour ago" },
      target: { kind: "neon-branch", branchName: "r" },
    }),
    undefined,
  );
});

test("parity with the CLI: another profile's server, chosen tables or the schema alone become the request's fields", () => {
  const other = {
    source,
    target: { kind: "new-database" as const, database: "neondb", profile: "scratch" },
  };
  assert.equal(targetValid(other, profile), true, "production's name is fine on another server");
  assert.deepEqual(restoreRequest(profile, other), {
    profile: "prod",
    id: source.id,
    database: "neondb",
    targetProfile: "scratch",
  });
  const own = { source, target: { kind: "new-database" as const, database: "r1", profile: "prod" } };
  assert.equal(restoreRequest(profile, own)?.targetProfile, undefined, "its own server needs no target profile");
  const some = { ...own, scope: { what: "tables" as const, tables: [] as string[] } };
  assert.equal(targetValid(some, profile), false, "picking tables means picking at least one");
  some.scope.tables.push("Patient", "ClinicalNote");
  assert.equal(targetValid(some, profile), true);
  assert.deepEqual(restoreRequest(profile, some)?.tables, ["Patient", "ClinicalNote"]);
  assert.equal(restoreRequest(profile, { ...own, scope: { what: "schema" } })?.schemaOnly, true);
});

// Scenario 5 practised in the console's practice world: after a first backup, `lifeboat sandbox --incident
// region-outage --no-serve` (the README's command, as written) stages the Neon side, and the next
// `lifeboat console --sandbox` plays the rest: region A's store (its local S3) down, the folder replica region-b
// holding the newest backup (copied by the real replication), and a profile region-b on a second local PostgreSQL.
// The restore the runbook runs, from the replica into a new database there, is asserted through the engine's channels.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { withPracticeConsole, type Bridge } from "../../harness/practice-console.ts";

const run = promisify(execFile);
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-region-practice-"));
  // As root the sandbox's PostgreSQL runs as "postgres", which must be able to reach into the folder.
  await chmod(dir, 0o755);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withConsole = (lines: string[], use: (bridge: Bridge) => Promise<void>) =>
  withPracticeConsole({ sandboxDir: join(dir, "sandbox"), lines }, use);

test(
  "the practice world stages a region outage: region A's store down, the replica holding the backup, a restore into region-b",
  { timeout: 600_000 },
  async () => {
    const before: string[] = [];
    let backupId = "";
    await withConsole(before, async () => {
      for (let i = 0; i < 1200 && !before.some((l) => /First backup .* committed|first backup failed/i.test(l)); i++)
        await new Promise((r) => setTimeout(r, 100));
      backupId = /First backup (\S+) committed/.exec(before.join("\n"))?.[1] ?? "";
      assert.ok(backupId, before.join("\n"));
    });

    const readme = await readFile(join(process.cwd(), "README.md"), "utf8");
    const command = /^(lifeboat sandbox --incident region-outage --no-serve)\s+#/m.exec(readme)?.[1];
    assert.ok(command, "the README shows the command");
    const staged = await run(
      process.execPath,
      [join(process.cwd(), "bin/lifeboat.js"), ...command.split(" ").slice(1)],
      {
        env: { ...process.env, LIFEBOAT_SANDBOX_DIR: join(dir, "sandbox") },
        timeout: 240_000,
      },
    );
    assert.match(staged.stdout, /Incident staged: region-outage/);

    const lines: string[] = [];
    let regionBData = "";
    await withConsole(lines, async (bridge) => {
      assert.match(
        lines.join("\n"),
        /Region outage staged: region A's store \(the local S3 server\) is stopped; the replica region-b holds 1 backup\(s\)/,
      );
      const config = JSON.parse(await readFile(join(`${join(dir, "sandbox")}-console`, "config.json"), "utf8")) as {
        profiles: { name: string; database: { port: number; password: string }; replicas?: { name: string }[] }[];
      };
      assert.deepEqual(
        config.profiles.map((p) => [p.name, p.replicas?.map((r) => r.name) ?? []]),
        [
          ["sandbox", ["region-b"]],
          ["region-b", []],
        ],
      );
      assert.equal(
        config.profiles[1]!.database.password,
        "env:LIFEBOAT_SANDBOX_REGION_B_PASSWORD",
        "by reference only",
      );

      const where = await bridge.invoke("replicas.where", { profile: "sandbox" });
      assert.ok(where.ok, JSON.stringify(where));
      const [primary, replica] = where.value.stores;
      assert.equal(primary?.name, "primary");
      assert.match(primary?.error ?? "", /ECONNREFUSED/, "region A's store cannot be reached");
      assert.equal(replica?.name, "region-b");
      assert.equal(replica?.error, undefined, "region B's store is listed");
      assert.deepEqual(
        where.value.backups.map((b) => [b.id, b.on]),
        [[backupId, ["region-b"]]],
        "the replica holds the newest backup",
      );

      const restored = await bridge.invoke("restore.run", {
        profile: "sandbox",
        id: backupId,
        targetProfile: "region-b",
        database: "region_b_practice",
        noOwner: true,
        noAcl: true,
      });
      assert.ok(restored.ok, JSON.stringify(restored));
      assert.equal(restored.value.source?.name, "region-b", "read from the replica");
      assert.ok(
        restored.value.source?.fallback,
        `it says why not the primary: ${JSON.stringify(restored.value.source)}`,
      );
      assert.equal(restored.value.database, "region_b_practice");
      const patients = restored.value.tables.find((t) => t.table.includes("Patient"));
      assert.ok(patients && patients.ok && (patients.actual ?? 0) > 0, JSON.stringify(restored.value.tables));
      const summary = await bridge.invoke("dashboard.summary", {});
      const regionB = summary.ok ? summary.value.profiles.find((p) => p.profile === "region-b") : undefined;
      assert.equal(regionB?.database.reachable, true, "region B's server answers");
      regionBData = regionB ? join(`${join(dir, "sandbox")}-console`, "region-b") : "";
    });
    assert.ok(existsSync(regionBData), "the replica's folder stays beside the sandbox");
    assert.match(lines.join("\n"), /Stopping the sandbox/);
  },
);

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withPracticeConsole } from "../../harness/practice-console.ts";
import { runCli } from "../../harness/cli.ts";

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-sandbox-console-"));
  // As root the sandbox's PostgreSQL runs as "postgres", which must be able to reach into the folder.
  await chmod(dir, 0o755);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("`lifeboat console --sandbox` lands a new user on a dashboard with data: a reachable database, Neon's window, a first backup", async () => {
  const lines: string[] = [];
  let origin = "";
  await withPracticeConsole(
    { sandboxDir: join(dir, "sandbox"), lines, configPath: join(dir, "unused.json") },
    async (bridge, host) => {
      origin = host.origin;
      const info = await bridge.invoke("app.info", {});
      assert.equal(info.ok && info.value.sandbox, true);
      assert.equal(info.ok && info.value.configPath, join(`${join(dir, "sandbox")}-console`, "config.json"));
      // The first backup runs in the background and says when it is done.
      for (let i = 0; i < 600 && !lines.some((l) => /First backup .* committed|first backup failed/i.test(l)); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.ok(
        lines.some((l) => /First backup .* committed/.test(l)),
        lines.join("\n"),
      );
      const summary = await bridge.invoke("dashboard.summary", {});
      assert.equal(summary.ok, true, JSON.stringify(summary));
      if (!summary.ok) return;
      const h = summary.value.profiles[0]!;
      assert.equal(h.profile, "sandbox");
      assert.equal(h.database.reachable, true);
      assert.equal(h.neon?.reachable, true);
      assert.ok(h.neon?.window?.start);
      assert.ok(h.lastBackup && h.lastBackup.ageMinutes <= 1);
      const ctx = await bridge.invoke("runbooks.profileContext", { profile: "sandbox" });
      assert.ok(ctx.ok && ctx.value.contacts.length === 4 && ctx.value.escalation.length > 0);
      const key = await stat(join(`${join(dir, "sandbox")}-console`, "age-identity.txt"));
      assert.equal(key.mode & 0o077, 0, "the practice key is private to the user");
      // A terminal pointed at the same sandbox works in the same world: its profile, its secrets, its one journal.
      const cliEnv = { ...process.env, LIFEBOAT_SANDBOX_DIR: join(dir, "sandbox") };
      const backups = await runCli(["--sandbox", "backups", "--json"], { env: cliEnv });
      assert.equal(backups.code, 0, backups.stdout + backups.stderr);
      assert.equal(backups.json!.value.backups.length, 1, "the console's first backup, seen from the terminal");
      const opened = await runCli(
        ["--sandbox", "incident", "open", "--title", "Practice", "--severity", "SEV3", "--scenario", "other", "--json"],
        { env: cliEnv },
      );
      assert.equal(opened.code, 0, opened.stdout + opened.stderr);
      const seen = await bridge.invoke("incidents.list", {});
      assert.equal(seen.ok && seen.value.current, opened.json!.value.id, "the console sees the terminal's incident");
      const note = await runCli(["--sandbox", "incident", "note", "Practised from the terminal"], { env: cliEnv });
      assert.equal(note.code, 0, note.stderr);
      const listed = await runCli(["--sandbox", "journal", "list"], { env: cliEnv });
      assert.match(listed.stdout, /Note: Practised from the terminal/);
      const fromConsole = await bridge.invoke("journal.query", { kind: "operator.note" });
      assert.equal(fromConsole.ok && fromConsole.value.records.at(-1)?.incident, opened.json!.value.id);
    },
  );
  await assert.rejects(fetch(origin), "the host is closed after stopping");
});

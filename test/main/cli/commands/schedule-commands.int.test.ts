// The unattended commands as an operator and a scheduler type them, against real PostgreSQL and the S3 server:
// schedule run / status / install / remove / export, check (the monitoring exit convention), metrics and fleet; and
// the container's entry point run on this machine with the environment the CronJob gives it.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { PACKAGE_ROOT } from "../../../../src/main/package-root.ts";
import { runCli } from "../../../harness/cli.ts";
import { startScheduleEnv, type ScheduleEnv } from "../../../harness/schedule-env.ts";

let w: ScheduleEnv;
let configPath: string;
const cli = (args: string[], env: NodeJS.ProcessEnv = w.env) => runCli(["--config", configPath, ...args], { env });

before(async () => {
  w = await startScheduleEnv();
  configPath = join(w.dir, "config.json");
  const clinic = w.profile("clinic", {
    schedule: { backup: "every 1 hours", verify: "weekly on sunday at 03:00" },
  });
  await writeFile(configPath, JSON.stringify({ version: 1, profiles: [clinic] }, null, 2), { mode: 0o600 });
});
after(async () => w?.stop());

describe("lifeboat schedule and check", () => {
  test("a config whose schedule cannot be parsed: exit 3 naming the field; check says UNKNOWN", async () => {
    const bad = join(w.dir, "bad.json");
    const p = JSON.parse(await readFile(configPath, "utf8"));
    p.profiles[0].schedule.backup = "every tuesday-ish";
    await writeFile(bad, JSON.stringify(p), { mode: 0o600 });
    const r = await runCli(["--config", bad, "schedule", "run"], { env: w.env });
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /profiles\[0\]\.schedule\.backup\.at: "every tuesday-ish" is not a schedule Lifeboat understands/,
    );
    const c = await runCli(["--config", bad, "check"], { env: w.env });
    assert.equal(c.code, 3);
    assert.match(c.stdout, /^LIFEBOAT UNKNOWN - \S+bad\.json is invalid: .*schedule\.backup\.at/);
    assert.equal(c.stdout.trim().split("\n").length, 1);
  });

  test("metrics --serve serves the metrics until stopped (README: On a server)", async () => {
    const { createServer } = await import("node:net");
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const stop = new AbortController();
    const running = runCli(["--config", configPath, "metrics", "--serve", String(port), "--no-database"], {
      env: w.env,
      signal: stop.signal,
    });
    let body = "";
    for (let i = 0; i < 100 && !body; i++) {
      body = await fetch(`http://127.0.0.1:${port}/metrics`)
        .then((r) => (r.ok ? r.text() : ""))
        .catch(() => "");
      if (!body) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(body, /^# HELP lifeboat_/m);
    assert.match(body, /lifeboat_check_status\{[^}]*profile="clinic"/);
    stop.abort();
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`serving http://127\\.0\\.0\\.1:${port}/metrics`));
    await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`), "stopped: the port is closed");
  });

  test("schedule run runs what is due, then nothing; check, metrics and fleet read the result", async () => {
    const first = await cli(["schedule", "run", "--runner", "systemd"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^clinic backup: ok \(.*\) backup \d{8}T\d{6}Z-[0-9a-f]{4}$/m);
    assert.match(first.stdout, /^clinic verify: ok/m);
    const again = await cli(["schedule", "run"]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^nothing is due: clinic backup next at /);
    const status = await cli(["schedule", "status", "--unit-dir", join(w.dir, "units")]);
    assert.match(status.stdout, /clinic\s+backup\s+every 1 hours \(\S+\)\s+no\s+\S+\s+ok \S+ on \S+ \(systemd\)/);
    const check = await cli(["check"]);
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, /^LIFEBOAT OK - 1 profile: backups and proven restores on time \* clinic \| /);
    const json = await cli(["check", "--json", "--no-database"]);
    assert.equal(json.json!.value.code, 0);
    const prom = join(w.dir, "textfile", "lifeboat.prom");
    const missing = await cli(["metrics", "--textfile", prom]);
    assert.notEqual(missing.code, 0, "node_exporter's folder does not exist yet: not made (it would be private)");
    assert.match(missing.stderr, /does not exist/);
    await mkdir(join(w.dir, "textfile"), { mode: 0o755 });
    const m = await cli(["metrics", "--textfile", prom]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(await readFile(prom, "utf8"), /^lifeboat_job_last_success\{profile="clinic",job="backup"\} 1$/m);
    const bad = await cli(["metrics", "--textfile", join(w.dir, "lifeboat.txt")]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ending in \.prom/);
    const fleet = await cli(["fleet"]);
    assert.match(fleet.stdout, /^clinic\s+OK\s+\S+\s+ok on \S+\s+verify\.deep passed/m);
  });

  test("install writes systemd units that verify; without a user manager it says so and how to activate; remove", async () => {
    const dir = join(w.dir, "units");
    const r = await cli(["schedule", "install", "--platform", "systemd", "--unit-dir", dir]);
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, [
      "lifeboat-clinic-backup.service",
      "lifeboat-clinic-backup.timer",
      "lifeboat-clinic-verify.service",
      "lifeboat-clinic-verify.timer",
    ]);
    const bus = spawnSync("systemctl", ["--user", "is-system-running"], { encoding: "utf8" });
    if (r.code !== 0) {
      // No systemd user manager here (a container, CI): the units are written, the error says what to run.
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /systemctl --user daemon-reload.* failed/);
      assert.match(
        r.stderr,
        /what to do: The unit files are written\. Run these in your login session: systemctl --user daemon-reload && systemctl --user enable --now lifeboat-clinic-backup\.timer lifeboat-clinic-verify\.timer/,
      );
    } else assert.notEqual(bus.status, null);
    const verified = spawnSync("systemd-analyze", ["verify", "--man=no", ...files.map((f) => join(dir, f))], {
      encoding: "utf8",
    });
    assert.equal(verified.status, 0, verified.stderr);
    const service = await readFile(join(dir, "lifeboat-clinic-backup.service"), "utf8");
    assert.match(
      service,
      new RegExp(
        `"--config" "${configPath}" "schedule" "run" "--profile" "clinic" "--job" "backup" "--runner" "systemd"`,
      ),
    );
    const written = await cli(["schedule", "install", "--platform", "systemd", "--unit-dir", dir, "--no-activate"]);
    assert.equal(written.code, 0);
    assert.match(
      written.stdout,
      /written, NOT active yet: run systemctl --user daemon-reload && systemctl --user enable --now/,
    );
    const removed = await cli(["schedule", "remove", "--platform", "systemd", "--unit-dir", dir, "--no-activate"]);
    assert.equal(removed.code, 0);
    assert.deepEqual(await readdir(dir), []);
  });

  test("export --kubernetes, and the image's entry point runs here with the CronJob's environment", async () => {
    const out = join(w.dir, "k8s");
    const r = await cli([
      "schedule",
      "export",
      "--kubernetes",
      "--out",
      out,
      "--image",
      "lifeboat:test",
      "--namespace",
      "backups",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /PostgreSQL 15 in the image/);
    const all = (await readdir(out)).sort();
    assert.deepEqual(all, [
      "Dockerfile",
      "SECRETS.txt",
      "lifeboat-clinic-backup.yaml",
      "lifeboat-clinic-verify.yaml",
      "lifeboat-config.yaml",
    ]);
    assert.match(
      await readFile(join(out, "SECRETS.txt"), "utf8"),
      /kubectl -n backups create secret generic lifeboat-clinic --from-env-file=lifeboat-clinic.env && rm lifeboat-clinic.env/,
    );
    for (const f of all) {
      const text = await readFile(join(out, f), "utf8");
      for (const secret of [w.env.SCHED_DB_PASSWORD!, w.env.SCHED_S3_SECRET!, w.env.SCHED_AGE_IDENTITY!])
        assert.ok(!text.includes(secret), `${f} holds a secret`);
    }
    assert.match(await readFile(join(out, "Dockerfile"), "utf8"), /postgresql-client-15 postgresql-15/);
    const job = parseAllDocuments(await readFile(join(out, "lifeboat-clinic-backup.yaml"), "utf8"))[0]!.toJS();
    const configMap = parseAllDocuments(await readFile(join(out, "lifeboat-config.yaml"), "utf8"))[0]!.toJS();
    const container = job.spec.jobTemplate.spec.template.spec.containers[0];
    // The pod's environment: plain values as written, Secret keys filled as Kubernetes would, the ConfigMap mounted.
    const mounted = join(w.dir, "etc-lifeboat", "config.json");
    await mkdir(join(w.dir, "etc-lifeboat"), { recursive: true });
    await writeFile(mounted, configMap.data["config.json"]);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: w.dir, LIFEBOAT_HOME: PACKAGE_ROOT };
    for (const e of container.env) {
      if (e.value !== undefined) env[e.name] = e.value;
      else env[e.name] = w.env[e.valueFrom.secretKeyRef.key];
    }
    env.LIFEBOAT_CONFIG = mounted;
    env.LIFEBOAT_JOURNAL_DIR = join(w.dir, "pod-journal");
    env.TMPDIR = w.dir;
    const entry = join(PACKAGE_ROOT, "deploy", "container", "lifeboat-entrypoint.sh");
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(entry, [...container.args, "--force"], { env });
      let o = "";
      c.stdout.on("data", (d) => (o += d));
      c.stderr.on("data", (d) => (o += d));
      c.on("close", (code) => resolve({ code, out: o }));
    });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /clinic backup: ok \(manual/);
    const status = await cli(["schedule", "status"]);
    assert.match(status.stdout, /clinic\s+backup .* ok \S+ on \S+ \(kubernetes\)/);
    // Without its config the entry point stops at once with why.
    const missing = spawnSync(entry, ["schedule", "run"], {
      env: { ...env, LIFEBOAT_CONFIG: join(w.dir, "nope.json") },
      encoding: "utf8",
    });
    assert.equal(missing.status, 3);
    assert.match(missing.stderr, /LIFEBOAT_CONFIG must name a readable config file/);
  });
});

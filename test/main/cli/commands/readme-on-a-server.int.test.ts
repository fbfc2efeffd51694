// The README's "On a server" commands that write node_exporter's textfile, taken from the README and run as printed
// (bash, `lifeboat` on the PATH, no terminal) against real PostgreSQL and the S3 server: `schedule install
// --metrics-textfile …` writes units whose runs write the textfile (systemd-analyze verifies them; without a systemd
// user manager, as in a container, it exits 4 and says how to activate them), `schedule run --metrics-textfile …`
// runs what is due and writes the textfile, and the command a timer runs (its ExecStart, as written in the unit)
// writes it again. Each textfile is parsed back with a Prometheus text parser.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmod, mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { PACKAGE_ROOT } from "../../../../src/main/package-root.ts";
import { startScheduleEnv, type ScheduleEnv } from "../../../harness/schedule-env.ts";

interface Family {
  name: string;
  metrics: { labels?: Record<string, string>; value: string }[];
}

let w: ScheduleEnv;
let env: NodeJS.ProcessEnv;
let commands: { install: string; run: string };
const textfile = () => join(env.TEXTFILE_DIR!, "lifeboat.prom");

/** The "On a server" block's `lifeboat schedule …` lines, exactly as the README prints them (comments and all). */
async function readmeCommands(): Promise<{ install: string; run: string }> {
  const readme = await readFile(join(PACKAGE_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### On a server"));
  const block = /```sh\n([\s\S]*?)\n```/.exec(section)![1]!.split("\n");
  const install = block.find((l) => l.startsWith("lifeboat schedule install "));
  const run = block.find((l) => l.startsWith("lifeboat schedule run "));
  assert.ok(install && run, `the README's "On a server" block:\n${block.join("\n")}`);
  assert.match(install, /--metrics-textfile /);
  assert.match(run, /--metrics-textfile /);
  return { install, run };
}

function sh(line: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("bash", ["-c", line, "bash", ...args], { env, cwd: w.dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** The textfile, parsed; fails the test when it does not parse. */
async function parsedTextfile(): Promise<Family[]> {
  return parsePrometheusTextFormat(await readFile(textfile(), "utf8")) as Family[];
}

const value = (families: Family[], name: string, labels: Record<string, string>): number | undefined => {
  const m = families
    .find((f) => f.name === name)
    ?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m ? Number(m.value) : undefined;
};

before(async () => {
  w = await startScheduleEnv();
  commands = await readmeCommands();
  const configPath = join(w.dir, "config.json");
  const clinic = w.profile("clinic", { schedule: { timezone: "UTC", backup: "every 1 hours" } });
  await writeFile(configPath, JSON.stringify({ version: 1, profiles: [clinic] }, null, 2), { mode: 0o600 });
  // `lifeboat` on the PATH, as an installed CLI is.
  const bin = join(w.dir, "bin");
  await mkdir(bin);
  await writeFile(
    join(bin, "lifeboat"),
    `#!/bin/sh\nexec "${process.execPath}" "${join(PACKAGE_ROOT, "bin", "lifeboat.js")}" "$@"\n`,
  );
  await chmod(join(bin, "lifeboat"), 0o755);
  const home = join(w.dir, "home");
  await mkdir(home);
  env = {
    ...w.env,
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    LIFEBOAT_CONFIG: configPath,
    TEXTFILE_DIR: join(w.dir, "node-exporter"),
  };
  await mkdir(env.TEXTFILE_DIR!);
});
after(async () => w?.stop());

describe('README "On a server": the metrics textfile', () => {
  test("schedule install --metrics-textfile: units whose runs write the textfile", async () => {
    const r = await sh(commands.install);
    const dir = join(env.HOME!, ".config", "systemd", "user");
    const files = (await readdir(dir)).sort();
    assert.deepEqual(files, ["lifeboat-clinic-backup.service", "lifeboat-clinic-backup.timer"]);
    if (r.code !== 0) {
      // No systemd user manager here (a container, CI): the units are written, the error says what to run.
      assert.equal(r.code, 4, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /systemctl --user daemon-reload && systemctl --user enable --now lifeboat-clinic-backup\.timer/,
      );
    }
    const service = await readFile(join(dir, "lifeboat-clinic-backup.service"), "utf8");
    assert.ok(
      service.includes(
        `"schedule" "run" "--profile" "clinic" "--job" "backup" "--runner" "systemd" "--metrics-textfile" "${textfile()}"`,
      ),
      service,
    );
    const verified = spawnSync("systemd-analyze", ["verify", "--man=no", ...files.map((f) => join(dir, f))], {
      encoding: "utf8",
    });
    assert.equal(verified.status, 0, verified.stderr);
  });

  test("schedule run --metrics-textfile: runs what is due, then writes the textfile, which parses", async () => {
    const r = await sh(commands.run);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^clinic backup: ok \(.*\) backup \S+$/m);
    assert.match(
      r.stdout,
      new RegExp(`^metrics written to ${textfile().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
    );
    const families = await parsedTextfile();
    assert.equal(value(families, "lifeboat_job_last_success", { profile: "clinic", job: "backup" }), 1);
    assert.equal(value(families, "lifeboat_backups", { profile: "clinic" }), 1);
    assert.ok(value(families, "lifeboat_backup_last_rows", { profile: "clinic" })! > 0);
    // node_exporter usually runs as its own user: the file is readable by all, and nothing half-written is left.
    assert.equal((await stat(textfile())).mode & 0o777, 0o644);
    assert.deepEqual(await readdir(env.TEXTFILE_DIR!), ["lifeboat.prom"]);
  });

  test("the timer's own command (the unit's ExecStart, as written) writes it again", async () => {
    const service = await readFile(
      join(env.HOME!, ".config", "systemd", "user", "lifeboat-clinic-backup.service"),
      "utf8",
    );
    const exec = /^ExecStart=(.*)$/m.exec(service)![1]!;
    // systemd's quoting: each argument in double quotes, \ and " escaped, $ and % doubled.
    const argv = [...exec.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
      m[1]!.replace(/\\(.)/g, "$1").replace(/\$\$/g, "$").replace(/%%/g, "%"),
    );
    const before = (await stat(textfile())).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const r = await sh('exec "$@"', argv);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^nothing is due: clinic backup next at /m);
    assert.ok((await stat(textfile())).mtimeMs > before, "the textfile was written again");
    const families = await parsedTextfile();
    assert.equal(value(families, "lifeboat_job_last_success", { profile: "clinic", job: "backup" }), 1);
    assert.equal(value(families, "lifeboat_check_status", { profile: "clinic" }) !== undefined, true);
  });
});

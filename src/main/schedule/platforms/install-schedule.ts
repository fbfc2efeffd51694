// `lifeboat schedule install|status|remove`: the platform's own scheduler runs the jobs (systemd user timers, a
// launchd agent, a Task Scheduler task), never a daemon of ours. Install writes one unit per profile and job and
// activates them; when activation is impossible (no systemd user manager, not on a Mac), the files stay written and
// the error says exactly which commands activate them, so nothing reports a schedule that is not running.
import { spawn } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Profile } from "../../../shared/config.ts";
import type { JobKind } from "../../../shared/schedule/schedule-config.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import { launchdAgent, launchdLabel } from "./launchd-agent.ts";
import { scheduledUnits, type ScheduledUnit, type UnitOptions } from "./scheduled-units.ts";
import { systemdUnits } from "./systemd-units.ts";
import { windowsTask, windowsTaskName } from "./windows-task.ts";

export const PLATFORMS = ["systemd", "launchd", "windows"] as const;
export type Platform = (typeof PLATFORMS)[number];

export type CommandRunner = (cmd: string, args: string[]) => Promise<{ code: number; output: string }>;

export interface PlatformOptions {
  platform: Platform;
  /** Where unit files go; default the platform's per-user folder. */
  unitDir?: string;
  /** Run the platform's commands to (de)activate; false only writes or deletes the files. */
  activate: boolean;
  env?: NodeJS.ProcessEnv;
  run?: CommandRunner;
}

export interface InstalledUnit {
  profile: string;
  job: JobKind;
  name: string;
  at: string;
  files: string[];
}

export interface InstallResult {
  platform: Platform;
  unitDir: string;
  units: InstalledUnit[];
  activated: boolean;
  /** The commands that were run (or that activate the units when activate was false). */
  commands: string[];
}

export function defaultPlatform(): Platform {
  return process.platform === "darwin" ? "launchd" : process.platform === "win32" ? "windows" : "systemd";
}

export function defaultUnitDir(platform: Platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === "launchd") return join(homedir(), "Library", "LaunchAgents");
  if (platform === "windows") return join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "lifeboat", "tasks");
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), ".config"), "systemd", "user");
}

const runCommand: CommandRunner = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", (e) => resolve({ code: 127, output: e.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, output: output.trim() }));
  });

const shellWord = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
const shown = (cmd: string, args: string[]): string => [cmd, ...args].map(shellWord).join(" ");

function filesFor(u: ScheduledUnit, platform: Platform): { name: string; content: string | Buffer }[] {
  if (platform === "systemd") return systemdUnits(u);
  if (platform === "launchd") return [launchdAgent(u)];
  const t = windowsTask(u);
  return [{ name: t.name, content: t.content }];
}

function activationCommands(platform: Platform, dir: string, units: ScheduledUnit[]): [string, string[]][] {
  if (platform === "systemd")
    return [
      ["systemctl", ["--user", "daemon-reload"]],
      ["systemctl", ["--user", "enable", "--now", ...units.map((u) => `${u.name}.timer`)]],
    ];
  if (platform === "launchd") {
    const uid = String(process.getuid?.() ?? 501);
    return units.flatMap((u): [string, string[]][] => [
      ["launchctl", ["bootout", `gui/${uid}/${launchdLabel(u)}`]],
      ["launchctl", ["bootstrap", `gui/${uid}`, join(dir, `${launchdLabel(u)}.plist`)]],
    ]);
  }
  return units.map((u): [string, string[]] => [
    "schtasks",
    ["/Create", "/F", "/TN", windowsTaskName(u), "/XML", join(dir, `${u.name}.xml`)],
  ]);
}

async function runAll(
  cmds: [string, string[]][],
  run: CommandRunner,
  tolerate: (cmd: string, args: string[]) => boolean,
): Promise<void> {
  for (const [cmd, args] of cmds) {
    const r = await run(cmd, args);
    if (r.code !== 0 && !tolerate(cmd, args)) {
      throw new LifeboatError(
        "SCHEDULER_UNAVAILABLE",
        `\`${shown(cmd, args)}\` failed (exit ${r.code}): ${r.output.split("\n")[0] || "no output"}`,
        `The unit files are written. Run these in your login session: ${cmds.map(([c, a]) => shown(c, a)).join(" && ")}`,
        { output: r.output.slice(0, 2000) },
      );
    }
  }
}

export async function installSchedule(
  profiles: Profile[],
  unit: Omit<UnitOptions, "platform">,
  o: PlatformOptions,
): Promise<InstallResult> {
  const units = scheduledUnits(profiles, { ...unit, platform: o.platform });
  if (!units.length)
    throw new LifeboatError(
      "CONFIG_INVALID",
      "no profile has a schedule to install",
      'Add a "schedule" section to a profile first, e.g. "schedule": {"backup": "daily at 02:00"}.',
    );
  const dir = o.unitDir ?? defaultUnitDir(o.platform, o.env);
  await mkdir(dir, { recursive: true });
  const installed: InstalledUnit[] = [];
  for (const u of units) {
    const files = filesFor(u, o.platform);
    for (const f of files) await writeFile(join(dir, f.name), f.content, { mode: 0o644 });
    installed.push({
      profile: u.profile,
      job: u.job,
      name: u.name,
      at: u.at,
      files: files.map((f) => join(dir, f.name)),
    });
  }
  const cmds = activationCommands(o.platform, dir, units);
  // launchctl bootout of an agent that was not loaded yet fails, and that is fine.
  if (o.activate) await runAll(cmds, o.run ?? runCommand, (c, a) => c === "launchctl" && a[0] === "bootout");
  return {
    platform: o.platform,
    unitDir: dir,
    units: installed,
    activated: o.activate,
    commands: cmds.map(([c, a]) => shown(c, a)),
  };
}

const OURS = /^(lifeboat-[a-z0-9][a-z0-9_-]*\.(service|timer|xml)|org\.lifeboat\..+\.plist)$/;

/** The unit files of ours in the folder (optionally only those of the named profiles). */
export async function installedUnitFiles(dir: string, profiles?: string[]): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => OURS.test(n))
    .filter(
      (n) => !profiles || profiles.some((p) => n.startsWith(`lifeboat-${p}-`) || n.startsWith(`org.lifeboat.${p}.`)),
    )
    .sort()
    .map((n) => join(dir, n));
}

export async function removeSchedule(
  profiles: string[] | undefined,
  o: PlatformOptions,
): Promise<{ platform: Platform; unitDir: string; removed: string[]; commands: string[] }> {
  const dir = o.unitDir ?? defaultUnitDir(o.platform, o.env);
  const files = await installedUnitFiles(dir, profiles);
  const base = (f: string) => f.slice(dir.length + 1);
  const cmds: [string, string[]][] =
    o.platform === "systemd"
      ? [
          ["systemctl", ["--user", "disable", "--now", ...files.map(base).filter((n) => n.endsWith(".timer"))]],
          ["systemctl", ["--user", "daemon-reload"]],
        ]
      : o.platform === "launchd"
        ? files.map((f): [string, string[]] => [
            "launchctl",
            ["bootout", `gui/${process.getuid?.() ?? 501}/${base(f).replace(/\.plist$/, "")}`],
          ])
        : files.map((f): [string, string[]] => [
            "schtasks",
            [
              "/Delete",
              "/F",
              "/TN",
              `\\Lifeboat\\${base(f)
                .replace(/^lifeboat-/, "")
                .replace(/\.xml$/, "")}`,
            ],
          ]);
  if (o.activate && files.length)
    await runAll(cmds.slice(0, o.platform === "systemd" ? 1 : cmds.length), o.run ?? runCommand, () => false);
  for (const f of files) await rm(f, { force: true });
  if (o.activate && files.length && o.platform === "systemd")
    await runAll(cmds.slice(1), o.run ?? runCommand, () => false);
  return { platform: o.platform, unitDir: dir, removed: files, commands: cmds.map(([c, a]) => shown(c, a)) };
}

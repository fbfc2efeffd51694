import { chmod, chown, mkdir } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join, relative, resolve } from "node:path";
import envPaths from "env-paths";
import { LifeboatError } from "../../shared/errors.ts";
import { runToCompletion } from "../process/child.ts";
import { serverOwner, type ServerOwner } from "../postgres/server-owner.ts";

/** The sandbox folder: the state file, the shared WAL archive, base backups and one data directory per compute. */
export interface SandboxLayout {
  root: string;
  archive: string;
  baseBackups: string;
  pgdata: string;
  /** The OS account the clusters run as when Lifeboat runs as root; null otherwise. */
  owner: ServerOwner | null;
}

/** Who the sandbox belongs to: the person behind sudo, else the account. A name safe in a folder name. */
export function sandboxPerson(env: NodeJS.ProcessEnv = process.env): string {
  const sudo = env.SUDO_USER;
  const name = sudo && /^[A-Za-z0-9._-]{1,64}$/.test(sudo) ? sudo : userInfo().username;
  return name.replace(/[^A-Za-z0-9._-]/g, "_") || "user";
}

/**
 * One sandbox per person, so nobody resumes someone else's practice incidents: under the user's own data folder. When
 * Lifeboat runs as root the clusters run as another account, which cannot enter /root, so the sandbox lives in
 * /var/tmp instead (kept across reboots, unlike /tmp), named for the person (the sudo user when there is one).
 * `lifeboat console --sandbox --dir` and LIFEBOAT_SANDBOX_DIR choose any other folder.
 */
export function defaultSandboxDir(env: NodeJS.ProcessEnv = process.env): string {
  if (serverOwner())
    return join(process.platform === "linux" ? "/var/tmp" : tmpdir(), `lifeboat-sandbox-${sandboxPerson(env)}`);
  return join(envPaths("lifeboat", { suffix: "" }).data, "sandbox");
}

export function layoutFor(root: string): SandboxLayout {
  const abs = resolve(root);
  return {
    root: abs,
    archive: join(abs, "wal-archive"),
    baseBackups: join(abs, "base-backups"),
    pgdata: join(abs, "computes"),
    owner: serverOwner(),
  };
}

/** Creates the folders (owned by the cluster account when running as root) and checks that account can use them. */
export async function prepareLayout(root: string): Promise<SandboxLayout> {
  const layout = layoutFor(root);
  // The archive folder is spliced into archive_command and restore_command, inside single quotes.
  if (/['%\n\r]/.test(layout.root)) {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `the sandbox folder ${layout.root} contains a quote, a percent sign or a line break`,
      "Choose a folder path without those characters (--dir).",
    );
  }
  await mkdir(layout.root, { recursive: true, mode: 0o700 });
  for (const d of [layout.archive, layout.baseBackups, layout.pgdata]) await mkdir(d, { recursive: true, mode: 0o700 });
  if (layout.owner) {
    // The server account must pass through the sandbox folder, but needs no view of its listing or the state file.
    await chmod(layout.root, 0o711);
    for (const d of [layout.archive, layout.baseBackups, layout.pgdata])
      await chown(d, layout.owner.uid, layout.owner.gid);
    const probe = await runToCompletion("/bin/sh", ["-c", 'test -w "$1" && test -x "$1"', "sh", layout.archive], {
      uid: layout.owner.uid,
      gid: layout.owner.gid,
      cwd: "/",
    });
    if (probe.code !== 0) {
      throw new LifeboatError(
        "CONFIG_INVALID",
        `Lifeboat runs as root, so the sandbox's PostgreSQL runs as the OS user "${layout.owner.name}", which cannot reach ${layout.archive}`,
        "Pass --dir with a folder every account can traverse, such as /var/tmp/lifeboat-sandbox, or run Lifeboat as a normal user.",
      );
    }
  }
  return layout;
}

export function relPath(layout: SandboxLayout, absPath: string): string {
  return relative(layout.root, absPath);
}

export function absPath(layout: SandboxLayout, rel: string): string {
  return resolve(layout.root, rel);
}

/** Runs a tool as the cluster account (so the files it writes belong to it); throws with its error lines on failure. */
export async function runAsOwner(
  layout: SandboxLayout,
  cmd: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const ids = layout.owner ? { uid: layout.owner.uid, gid: layout.owner.gid } : {};
  const r = await runToCompletion(cmd, args, {
    ...ids,
    cwd: layout.owner ? "/" : layout.root,
    env: env ?? process.env,
  });
  if (r.code !== 0)
    throw new LifeboatError(
      "INTERNAL",
      `${cmd.split("/").pop()} failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-5).join(" | ")}`,
    );
  return r.stdout;
}

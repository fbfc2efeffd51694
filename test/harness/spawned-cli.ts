// The real CLI (bin/lifeboat.js) in its own process, as an operator's shell runs it: for what only a real process can
// show (signals, exit codes, what is left on disk and on the servers once it is gone). Each run gets its own TMPDIR,
// so whatever the process left in its temporary folder can be listed afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/lifeboat.js", import.meta.url));

export interface SpawnedCli {
  readonly child: ChildProcess;
  /** The TMPDIR this run was given (its own, empty at the start). */
  readonly tmp: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches, rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves once `probe` returns true (polled), rejects after `timeoutMs` or when the process exits first. */
  waitUntil(probe: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** The exit: the code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Removes the TMPDIR (after the assertions about it), unless it was the caller's. */
  cleanup(): Promise<void>;
}

/** `opts.tmp`: a TMPDIR of the caller's (a small tmpfs, a folder a killed run left things in) instead of a new one. */
export async function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { tmp?: string } = {},
): Promise<SpawnedCli> {
  const tmp = opts.tmp ?? (await mkdtemp(join(tmpdir(), "lifeboat-spawned-")));
  // Open to all, as /tmp is: as root, Lifeboat's throwaway clusters run as another user, who must reach their folder.
  if (!opts.tmp) await chmod(tmp, 0o1777);
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...env, TMPDIR: tmp },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((l) => l());
  child.stdout!.on("data", (d: Buffer) => ((out += d.toString()), changed()));
  child.stderr!.on("data", (d: Buffer) => ((err += d.toString()), changed()));
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      gone = true;
      changed();
      resolve({ code, signal });
    }),
  );
  const transcript = (): string => `\n--- stdout:\n${out}\n--- stderr:\n${err}`;
  const run: SpawnedCli = {
    child,
    tmp,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out) || pattern.test(err)) done(undefined);
          else if (gone) done(new Error(`the CLI exited before printing ${pattern}${transcript()}`));
        };
        const timer = setTimeout(
          () => done(new Error(`no ${pattern} within ${timeoutMs} ms${transcript()}`)),
          timeoutMs,
        );
        const done = (e: Error | undefined): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (e) reject(e);
          else resolve();
        };
        listeners.add(check);
        check();
      }),
    async waitUntil(probe, what, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await probe())) {
        if (gone) throw new Error(`the CLI exited before ${what}${transcript()}`);
        if (Date.now() > deadline) throw new Error(`not ${what} within ${timeoutMs} ms${transcript()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill: (signal) => void child.kill(signal),
    exited,
    cleanup: async () => {
      if (!opts.tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
  return run;
}

/** Every file and folder under `dir`, relative, with whether a file holds a plaintext pg_dump archive ("PGDMP"). */
export async function leftovers(dir: string): Promise<{ path: string; plaintext: boolean }[]> {
  const found: { path: string; plaintext: boolean }[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const name of await readdir(join(dir, rel)).catch(() => [] as string[])) {
      const path = join(rel, name);
      const st = await stat(join(dir, path)).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) {
        found.push({ path: `${path}/`, plaintext: false });
        await visit(path);
      } else {
        const head = await readFile(join(dir, path)).catch(() => Buffer.alloc(0));
        found.push({ path, plaintext: head.subarray(0, 5).toString("latin1") === "PGDMP" || head.includes("COPY ") });
      }
    }
  };
  await visit("");
  return found;
}

/** Processes whose command line mentions `needle` (e.g. a postgres server whose data folder is under a TMPDIR). */
export async function processesMentioning(needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (cmd.includes(needle)) hits.push(`${pid}: ${cmd.replace(/\0/g, " ").trim()}`);
  }
  return hits;
}

import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { redactText } from "../secrets/redact.ts";
import { leastEnv } from "./child-env.ts";

export interface RunningChild {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited and its stderr is drained; never rejects. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export interface ChildOptions extends SpawnOptions {
  onStderrLine?: (line: string) => void;
  /** Ends the child (SIGTERM, then SIGKILL after a grace period) when aborted: Ctrl-C, the console's cancel. */
  signal?: AbortSignal;
  /** Variables passed on besides the base set and libpq's PG* (see leastEnv), e.g. ["LIFEBOAT_TEST"]. */
  envKeep?: string[];
  /**
   * Ends the child if Lifeboat itself dies (kill -9), for a child that would otherwise carry on alone: pg_restore
   * --jobs reads a file, not a pipe from Lifeboat, so no broken pipe would stop it. Linux only (setpriv --pdeathsig);
   * elsewhere a no-op.
   */
  dieWithParent?: boolean;
}

const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => process.platform === "linux" && existsSync(p));

const STDERR_KEEP = 256 * 1024;
/** How long a child gets to exit after SIGTERM before it is killed. pg_restore rolls back within it. */
export const KILL_GRACE_MS = 3000;

/** Every child still running, so a forced exit (a second Ctrl-C) can kill them all before the process goes. */
const live = new Set<ChildProcess>();

/** Ends a child: SIGTERM now, SIGKILL if it is still there after the grace period. */
export function terminate(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }, KILL_GRACE_MS);
  timer.unref();
  child.once("exit", () => clearTimeout(timer));
}

/** For a forced exit: SIGKILL to every child still running, synchronously. */
export function killAllChildren(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}

/**
 * Spawns a tool without a shell (arguments are never re-parsed, and secrets stay in env). The environment is reduced
 * to what programs need plus libpq's PG* variables (leastEnv): no child sees the rest of Lifeboat's environment.
 * stderr is kept (the tail, redacted) for error messages and can be watched line by line for progress.
 */
export function startChild(cmd: string, args: string[], opts: ChildOptions = {}): RunningChild {
  const { onStderrLine, signal, envKeep, env, dieWithParent, ...spawnOpts } = opts;
  // An env the caller built (pgEnv) carries exactly the PG* it needs; the process's own PG* never pass otherwise.
  const childEnv = env ? leastEnv(env, ["PG*", ...(envKeep ?? [])]) : leastEnv(process.env, envKeep ?? []);
  const [file, argv] = dieWithParent && SETPRIV ? [SETPRIV, ["--pdeathsig", "TERM", "--", cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { ...spawnOpts, env: childEnv, shell: false, windowsHide: true });
  live.add(child);
  let stderr = "";
  let partial = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
    if (onStderrLine) {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const l of lines) onStderrLine(l);
    }
  });
  const onAbort = (): void => terminate(child);
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener("abort", onAbort, { once: true });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let spawnError: Error | undefined;
    child.on("error", (e) => {
      spawnError = e;
    });
    child.on("close", (code, sig) => {
      live.delete(child);
      signal?.removeEventListener("abort", onAbort);
      if (partial && onStderrLine) onStderrLine(partial);
      const text = spawnError ? `${stderr}\n${spawnError.message}` : stderr;
      resolve({ code: spawnError ? (code ?? 127) : code, signal: sig, stderr: redactText(text) });
    });
  });
  return { child, exit };
}

/** The error lines of a tool's stderr, for showing to the operator. */
export function errorLines(stderr: string, max = 20): string[] {
  const lines = stderr
    .split("\n")
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const errs = lines.filter((l) => /error|fatal|could not|failed|invalid|denied|too short|unexpected/i.test(l));
  return (errs.length ? errs : lines).slice(-max);
}

export async function runToCompletion(
  cmd: string,
  args: string[],
  opts: ChildOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = startChild(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  r.child.stdout?.setEncoding("utf8");
  r.child.stdout?.on("data", (c: string) => (stdout += c));
  const { code, stderr } = await r.exit;
  return { code, stdout, stderr };
}

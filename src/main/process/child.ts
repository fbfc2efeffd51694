import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { redactText } from "../secrets/redact.ts";

export interface RunningChild {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited and its stderr is drained; never rejects. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const STDERR_KEEP = 256 * 1024;

/**
 * Spawns a tool without a shell (arguments are never re-parsed, and secrets stay in env). stderr is kept (the tail,
 * redacted) for error messages and can be watched line by line for progress.
 */
export function startChild(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { onStderrLine?: (line: string) => void } = {},
): RunningChild {
  const { onStderrLine, ...spawnOpts } = opts;
  const child = spawn(cmd, args, { ...spawnOpts, shell: false, windowsHide: true });
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
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    let spawnError: Error | undefined;
    child.on("error", (e) => {
      spawnError = e;
    });
    child.on("close", (code, signal) => {
      if (partial && onStderrLine) onStderrLine(partial);
      const text = spawnError ? `${stderr}\n${spawnError.message}` : stderr;
      resolve({ code: spawnError ? (code ?? 127) : code, signal, stderr: redactText(text) });
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
  opts: SpawnOptions = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = startChild(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  r.child.stdout?.setEncoding("utf8");
  r.child.stdout?.on("data", (c: string) => (stdout += c));
  const { code, stderr } = await r.exit;
  return { code, stdout, stderr };
}

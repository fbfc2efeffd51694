// Throwaway servers and folders must not outlive the process that made them, however it ends. A Lifeboat killed with
// SIGKILL runs no cleanup of its own, so a tiny watcher in its own session (immune to the terminal's Ctrl-C and to the
// parent's death) waits for the parent to disappear, then shuts down the PostgreSQL servers it was told about
// (SIGQUIT: immediate shutdown, the server cleans up its own shared memory) and removes the folders.
// POSIX only; on Windows there is no watcher and the normal cleanup paths are all there is.
import { spawn } from "node:child_process";

export interface Reaper {
  /** The normal cleanup ran: the watcher has nothing left to do. */
  stop(): void;
}

const SCRIPT = `parent=$1; shift
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
for f in "$@"; do
  case "$f" in
    pid:*) p=$(head -n 1 "\${f#pid:}" 2>/dev/null) && [ -n "$p" ] && kill -QUIT "$p" 2>/dev/null ;;
  esac
done
for f in "$@"; do
  case "$f" in
    pid:*) i=0; while [ -f "\${f#pid:}" ] && [ $i -lt 20 ]; do sleep 0.5; i=$((i+1)); done
           p=$(head -n 1 "\${f#pid:}" 2>/dev/null) && [ -n "$p" ] && kill -KILL "$p" 2>/dev/null ;;
  esac
done
for f in "$@"; do
  case "$f" in
    dir:*) rm -rf "\${f#dir:}" ;;
  esac
done`;

export function startReaper(o: { postmasterPidFiles?: string[]; remove?: string[] }): Reaper {
  if (process.platform === "win32") return { stop: () => undefined };
  const args = [...(o.postmasterPidFiles ?? []).map((f) => `pid:${f}`), ...(o.remove ?? []).map((d) => `dir:${d}`)];
  const child = spawn("sh", ["-c", SCRIPT, "lifeboat-reaper", String(process.pid), ...args], {
    detached: true,
    stdio: "ignore",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  });
  child.on("error", () => undefined);
  child.unref();
  return {
    stop() {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    },
  };
}

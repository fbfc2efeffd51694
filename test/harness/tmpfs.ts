// A small tmpfs of its own, for tests of a full disk (ENOSPC) or a read-only one (EROFS) without a mock. Mounting
// needs root; elsewhere tmpfsSkipReason says why the test cannot run.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function tmpfsSkipReason(): string | undefined {
  if (process.platform !== "linux") return "tmpfs mounts are Linux only";
  if (process.getuid?.() !== 0) return "mounting a tmpfs needs root (mount -t tmpfs); run the suite as root to test it";
  return undefined;
}

export interface Tmpfs {
  dir: string;
  /** mount -o remount,<options>: "ro", "rw", "size=64m". */
  remount(options: string): void;
  unmount(): Promise<void>;
}

function mount(args: string[]): void {
  const r = spawnSync("mount", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mount ${args.join(" ")} failed: ${r.stderr || r.error?.message}`);
}

/** A tmpfs of `size` (e.g. "2m"), open to all (mode 1777, as /tmp: throwaway clusters run as another user). */
export async function mountTmpfs(size: string): Promise<Tmpfs> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-tmpfs-"));
  mount(["-t", "tmpfs", "-o", `size=${size},mode=1777`, "tmpfs", dir]);
  return {
    dir,
    remount: (options) => mount(["-o", `remount,${options}`, dir]),
    async unmount() {
      spawnSync("umount", ["-l", dir]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// On this machine: lock files whose holder is gone, and the private temporary folders of restores that were killed
// (they hold the downloaded ciphertext; plaintext never has a name on Linux, but elsewhere a --jobs restore's may).
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive, staleReason } from "../journal/file-lock.ts";
import { INDEX_DIR, LOCK_FILE } from "../journal/journal-paths.ts";
import { TEMP_DIR_PREFIX, TEMP_OWNER_FILE } from "../restore/archive-source.ts";
import type { Leftover } from "./leftover.ts";

export async function staleLocks(journalDir: string): Promise<Leftover[]> {
  const out: Leftover[] = [];
  for (const path of [join(journalDir, LOCK_FILE), join(journalDir, INDEX_DIR, "index.lock")]) {
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const why = staleReason(text);
    if (!why) continue;
    out.push({
      id: `stale-lock:${path}`,
      kind: "stale-lock",
      what: `lock file ${path} is stale: ${why}`,
      fix: "remove it (Lifeboat also takes stale locks over by itself)",
      repair: async () => {
        const now = await readFile(path, "utf8").catch(() => undefined);
        // Gone, or replaced by a live lock (Lifeboat takes stale locks over by itself, doctor's own journaling too).
        if (now === undefined || now !== text) return `${path} was already taken over`;
        await rm(path, { force: true });
        return `removed ${path}`;
      },
    });
  }
  return out;
}

export async function deadTempFolders(base = tmpdir()): Promise<Leftover[]> {
  const names = (await readdir(base).catch(() => [] as string[])).filter((n) => n.startsWith(TEMP_DIR_PREFIX));
  const out: Leftover[] = [];
  for (const name of names) {
    const dir = join(base, name);
    const owner = (await readFile(join(dir, TEMP_OWNER_FILE), "utf8").catch(() => "")).trim().split(" ");
    const pid = Number(owner[0]);
    if (owner[1] === hostname() && Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    // Without an owner file it is either being made right now or very old: only the old are taken.
    if (!owner[1] && Date.now() - (await stat(dir)).mtimeMs < 60_000) continue;
    const files = await readdir(dir).catch(() => [] as string[]);
    out.push({
      id: `temp-folder:${dir}`,
      kind: "temp-folder",
      what: `temporary folder ${dir} of a restore that did not finish (${files.filter((f) => f !== TEMP_OWNER_FILE).join(", ") || "empty"})`,
      fix: "remove it",
      repair: async () => {
        await rm(dir, { recursive: true, force: true });
        return `removed ${dir}`;
      },
    });
  }
  return out;
}

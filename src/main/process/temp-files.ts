// Temporary files and folders an operation has on disk right now, so that whatever way the process ends (the
// operation's own cleanup, a second Ctrl-C that forces the exit, an uncaught error) they are removed, plaintext first.
// A SIGKILL runs nothing: folders are named lifeboat-restore-* with the owner's pid inside, so `lifeboat doctor` finds
// what a killed run left; plaintext on Linux never has a name at all (see plaintext-file.ts).
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";

interface Entry {
  path: string;
  plaintext: boolean;
}

const entries = new Set<Entry>();

/** Registers `path` (a file or a folder); the returned function removes it and forgets it. */
export function trackTemp(path: string, plaintext = false): () => Promise<void> {
  const entry = { path, plaintext };
  entries.add(entry);
  return async () => {
    await rm(path, { recursive: true, force: true });
    entries.delete(entry);
  };
}

/** Removes everything still registered, plaintext first, synchronously: for the last moments of the process. */
export function removeTempsSync(): void {
  const ordered = [...entries].sort((a, b) => Number(b.plaintext) - Number(a.plaintext));
  for (const e of ordered) {
    try {
      rmSync(e.path, { recursive: true, force: true });
    } catch {
      // Nothing more can be done this late; doctor reports the folder.
    }
    entries.delete(e);
  }
}

/** What is registered now (tests). */
export function trackedTemps(): string[] {
  return [...entries].map((e) => e.path);
}

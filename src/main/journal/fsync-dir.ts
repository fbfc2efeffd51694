import { closeSync, fsyncSync, openSync } from "node:fs";

/** Makes a new directory entry (a segment, the head file) durable. Windows cannot open a directory for this (nor needs to). */
export function fsyncDir(dir: string): void {
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

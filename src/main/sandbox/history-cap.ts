// Neon's Free plan keeps at most 1 GB of history, whatever the window says (content/docs/introduction/
// restore-window.md). The sandbox plays that from its WAL archive: counting back from the newest segment, history
// starts where the cap is reached, at the moment that segment was archived.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { formatLsn } from "./lsn.ts";

const SEGMENT = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/;

export interface CapStart {
  at: Date;
  lsn: string;
}

/** Where the retained history begins under a cap of `capBytes`, or undefined while the archive holds less. */
export async function historyCapStart(
  archiveDir: string,
  capBytes: number,
  segmentBytes: number,
): Promise<CapStart | undefined> {
  const names = (await readdir(archiveDir))
    .filter((n) => SEGMENT.test(n))
    .sort()
    .reverse();
  let total = 0;
  for (const name of names) {
    const st = await stat(join(archiveDir, name));
    total += st.size;
    if (total <= capBytes) continue;
    // This segment is over the cap: history starts after it, when it was complete.
    const [, , log, seg] = SEGMENT.exec(name)!;
    const start = (BigInt(`0x${log}`) << 32n) + (BigInt(`0x${seg}`) + 1n) * BigInt(segmentBytes);
    return { at: st.mtime, lsn: formatLsn(start) };
  }
  return undefined;
}

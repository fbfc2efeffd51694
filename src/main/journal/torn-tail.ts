// After a crash mid-write, a segment can end in a partial line. Before anything is appended, those bytes are moved to
// `<segment>.torn-<timestamp>` (kept as evidence, never deleted) and the segment is cut back to its last newline.
import { open, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { sha256Hex } from "./canonical.ts";

export interface TornTail {
  segment: string;
  file: string;
  offset: number;
  bytes: number;
  sha256: string;
}

export async function setAsideTornTail(segmentPath: string, validEnd: number): Promise<TornTail | undefined> {
  const fh = await open(segmentPath, "r+");
  try {
    const size = (await fh.stat()).size;
    if (size <= validEnd) return undefined;
    const torn = Buffer.alloc(size - validEnd);
    await fh.read(torn, 0, torn.length, validEnd);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = `${segmentPath}.torn-${stamp}`;
    await writeFile(file, torn, { mode: 0o600, flag: "wx" });
    const aside = await open(file, "r");
    await aside.sync();
    await aside.close();
    await fh.truncate(validEnd);
    await fh.sync();
    return {
      segment: basename(segmentPath),
      file: basename(file),
      offset: validEnd,
      bytes: torn.length,
      sha256: sha256Hex(torn),
    };
  } finally {
    await fh.close();
  }
}

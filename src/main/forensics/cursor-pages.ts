// A server-side cursor read a page at a time (rows as arrays of text). Must run inside a transaction.
import { queryArrays, type Side } from "./side.ts";

let seq = 0;

export async function* cursorPages(
  side: Side,
  select: string,
  params: unknown[],
  pageRows: number,
): AsyncGenerator<string[][]> {
  const name = `lifeboat_cur_${++seq}`;
  await queryArrays(side, `DECLARE ${name} NO SCROLL CURSOR FOR ${select}`, params);
  try {
    for (;;) {
      const rows = (await queryArrays(side, `FETCH FORWARD ${pageRows} FROM ${name}`)) as string[][];
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < pageRows) return;
    }
  } finally {
    await side.client.query(`CLOSE ${name}`).catch(() => {});
  }
}

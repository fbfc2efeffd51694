// Neon's lists page with an opaque cursor (CursorPagination in the spec): the cursor names the last item of a page in
// the list's ordering, so the next page starts after it even if items were added or removed in between. A cursor
// made for one ordering means nothing in another, which is why clients repeat the ordering the answer reports.
import { badRequest } from "./neon-error.ts";

export interface PageQuery {
  limit: string | null;
  cursor: string | null;
  order: "asc" | "desc";
  /** Neon's LimitParam allows up to 10000. */
  maxLimit?: number;
}

type Key = [string, string];

function compare(a: Key, b: Key): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function decode(cursor: string): Key {
  try {
    const k = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(k) && k.length === 2 && k.every((x) => typeof x === "string")) return k as Key;
  } catch {
    // Reported below.
  }
  throw badRequest(`cursor ${JSON.stringify(cursor)} is not one this API gave out`);
}

/** One page of `all` in the order of `keyOf` (then id), after `cursor`; `next` when more remain. */
export function page<T>(all: T[], keyOf: (x: T) => Key, q: PageQuery): { items: T[]; next?: string } {
  const max = q.maxLimit ?? 10_000;
  const limit = q.limit === null ? max : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw badRequest(`limit must be an integer from 1 to ${max}`);
  const dir = q.order === "asc" ? 1 : -1;
  let sorted = [...all].sort((a, b) => dir * compare(keyOf(a), keyOf(b)));
  if (q.cursor) {
    const after = decode(q.cursor);
    sorted = sorted.filter((x) => dir * compare(keyOf(x), after) > 0);
  }
  const items = sorted.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    ...(sorted.length > limit && last ? { next: Buffer.from(JSON.stringify(keyOf(last))).toString("base64url") } : {}),
  };
}

// The merge join in Node must put keys in exactly the order the server streams them. Rather than re-implement the
// server's collations, every key column is ordered in a way Node can reproduce exactly: integers and uuids natively,
// text in a C collation (byte order), anything else by its text form in the C collation.
import { quoteIdent, type ColumnInfo } from "./table-info.ts";

/** How one key column is ordered on the server and compared in Node. */
export type KeyKind = "int" | "uuid" | "bytes";

export interface KeyColumn {
  name: string;
  /** format_type() of the column, for casting key text back: `$1::text::<type>`. */
  type: string;
  kind: KeyKind;
  /** True when the server's ORDER BY on the bare column (and so the primary-key index) gives the order Node expects. */
  native: boolean;
}

const INT_TYPES = new Set(["smallint", "integer", "bigint"]);
const TEXT_TYPES = new Set(["text", "character varying"]);

export function keyColumn(col: ColumnInfo): KeyColumn {
  const base = col.type.replace(/\(.*\)$/, "");
  if (INT_TYPES.has(col.type)) return { name: col.name, type: col.type, kind: "int", native: true };
  if (col.type === "uuid") return { name: col.name, type: col.type, kind: "uuid", native: true };
  // Text ordered by its own collation is index order only when that collation is byte order.
  if (TEXT_TYPES.has(base)) return { name: col.name, type: col.type, kind: "bytes", native: col.collationIsC };
  return { name: col.name, type: col.type, kind: "bytes", native: false };
}

/** The ORDER BY expression of a key column, given the table alias. */
export function orderExpr(k: KeyColumn, alias = "t"): string {
  const col = `${alias}.${quoteIdent(k.name)}`;
  return k.native ? col : `(${col}::text) COLLATE "C"`;
}

/** How a key column travels to Node: always text, so 64-bit integers and odd types survive JSON and the driver. */
export function selectExpr(k: KeyColumn, alias = "t"): string {
  return `${alias}.${quoteIdent(k.name)}::text`;
}

/** Integers as decimal text, compared without BigInt: sign, then length, then digits. */
export function compareIntText(a: string, b: string): number {
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return na ? -1 : 1;
  let r = a.length - b.length;
  if (r === 0) r = a < b ? -1 : a > b ? 1 : 0;
  return na && r !== 0 ? -r : r;
}

// UTF-16 code units sort surrogates (U+D800-DFFF) below U+E000-FFFF, but the code points they encode sort above.
// Shifting both ranges gives code point order, which is UTF-8 byte order, which is the C collation.
function fixup(c: number): number {
  if (c >= 0xd800) return c >= 0xe000 ? c - 0x800 : c + 0x2000;
  return c;
}

/** Byte order of the UTF-8 encodings, i.e. PostgreSQL's C collation. */
export function compareBytesText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixup(x) - fixup(y);
  }
  return a.length - b.length;
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type KeyComparator = (a: readonly string[], b: readonly string[]) => number;

/** Compares two keys (their columns' text forms) the way the server orders them. */
export function keyComparator(cols: readonly KeyColumn[]): KeyComparator {
  const fns = cols.map((c) =>
    c.kind === "int" && c.native ? compareIntText : c.kind === "uuid" && c.native ? compareAscii : compareBytesText,
  );
  if (fns.length === 1) {
    const f = fns[0]!;
    return (a, b) => f(a[0]!, b[0]!);
  }
  return (a, b) => {
    for (let i = 0; i < fns.length; i++) {
      const r = fns[i]!(a[i]!, b[i]!);
      if (r !== 0) return r;
    }
    return 0;
  };
}

/** True when every key column can be walked in index order, so keyset pages (WHERE key > last LIMIT n) are cheap. */
export function keysetCapable(cols: readonly KeyColumn[]): boolean {
  return cols.every((c) => c.native);
}

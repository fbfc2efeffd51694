// What forensics needs to know about one table on one side: where it is, its columns, its primary key.
import pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";

export interface TableRef {
  oid: number;
  schema: string;
  name: string;
  /** format('%I.%I'): safe to splice into SQL. */
  qualified: string;
  relkind: string;
}

export interface ColumnInfo {
  name: string;
  /** format_type(): what `ADD COLUMN` and casts need, e.g. `timestamp(3) without time zone`, `"Role"`. */
  type: string;
  notNull: boolean;
  default: string | null;
  /** "" or "s" (stored generated column). */
  generated: string;
  /** "" or "a" (ALWAYS) or "d" (BY DEFAULT). */
  identity: string;
  /** The column's collation when it differs from its type's default, quoted (COLLATE clause). */
  collateClause: string | null;
  /** Orders by byte order (C/POSIX, explicitly or through the database default). */
  collationIsC: boolean;
}

/** How an operator names a table: `ClinicalNote`, `public.ClinicalNote` or `"public"."ClinicalNote"`. */
export function splitTableName(input: string): { schema: string | null; name: string } {
  const quoted = /^"((?:[^"]|"")+)"\."((?:[^"]|"")+)"$/.exec(input);
  if (quoted) return { schema: quoted[1]!.replace(/""/g, '"'), name: quoted[2]!.replace(/""/g, '"') };
  const single = /^"((?:[^"]|"")+)"$/.exec(input);
  if (single) return { schema: null, name: single[1]!.replace(/""/g, '"') };
  const dot = input.indexOf(".");
  return dot > 0 ? { schema: input.slice(0, dot), name: input.slice(dot + 1) } : { schema: null, name: input };
}

// The exact name in the current schema wins; `a.b` is tried as schema a, table b after that.
const FIND_TABLE = `
SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, format('%I.%I', n.nspname, c.relname) AS qualified, c.relkind::text AS relkind
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND ((n.nspname = current_schema() AND c.relname = $1) OR (n.nspname = $2 AND c.relname = $3))
ORDER BY (n.nspname = current_schema() AND c.relname = $1) DESC
LIMIT 1`;

export async function findTable(client: pg.Client, input: string): Promise<TableRef | null> {
  const { schema, name } = splitTableName(input);
  const r = await client.query<TableRef>(FIND_TABLE, [schema === null ? name : input, schema ?? "", name]);
  return r.rows[0] ?? null;
}

export async function requireTable(client: pg.Client, input: string, side: string): Promise<TableRef> {
  const t = await findTable(client, input);
  if (!t) {
    throw new LifeboatError(
      "TABLE_NOT_FOUND",
      `table "${input}" does not exist in the ${side} database`,
      `Check the spelling and case (PostgreSQL names are case-sensitive: "ClinicalNote", not clinicalnote); name another schema as schema.table. \`lifeboat forensics schema-diff\` lists tables missing on one side.`,
      { table: input, side },
    );
  }
  return t;
}

const COLUMNS = `
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
  pg_get_expr(d.adbin, d.adrelid) AS default,
  COALESCE(to_jsonb(a) ->> 'attgenerated', '') AS generated, a.attidentity::text AS identity,
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation THEN format('%I.%I', cn.nspname, co.collname) END AS "collateClause",
  CASE WHEN a.attcollation = 0 THEN false
       WHEN a.attcollation = 100 THEN $2::boolean
       ELSE co.collname IN ('C', 'POSIX') AND co.collprovider = 'c' END AS "collationIsC"
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

// Read through to_jsonb so it works whether or not the server has datlocprovider (PG 15+).
const DEFAULT_COLLATION_IS_C = `
SELECT (to_jsonb(d) ->> 'datcollate') IN ('C', 'POSIX') AND COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c') = 'c' AS c
FROM pg_catalog.pg_database d WHERE d.datname = current_database()`;

export async function tableColumns(client: pg.Client, table: TableRef): Promise<ColumnInfo[]> {
  const c = await client.query<{ c: boolean }>(DEFAULT_COLLATION_IS_C);
  const r = await client.query<ColumnInfo>(COLUMNS, [table.oid, c.rows[0]?.c ?? false]);
  return r.rows;
}

const PRIMARY_KEY = `
SELECT a.attname AS name
FROM pg_catalog.pg_index i
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = $1 AND i.indisprimary
ORDER BY k.ord`;

/** Primary-key column names in key order; empty when the table has none. */
export async function primaryKey(client: pg.Client, table: TableRef): Promise<string[]> {
  return (await client.query<{ name: string }>(PRIMARY_KEY, [table.oid])).rows.map((r) => r.name);
}

/** An identifier quoted for SQL (node-postgres' escapeIdentifier: doubles quotes, wraps in quotes). */
export function quoteIdent(name: string): string {
  return pg.escapeIdentifier(name);
}

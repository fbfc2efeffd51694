// The canonical form of a record, which the hash chain is computed over. It is defined on the bytes of the line so that
// anyone can re-check it without Lifeboat (see README-format.md):
//   body = JSON.stringify of the record without `hash`, keys in the fixed order below, absent optionals omitted;
//   hash = sha256_hex(utf8(body));
//   line = body with `,"hash":"<hash>"` inserted before the final `}`.
// Because `prev` (the previous record's hash) is inside the body, each hash covers the whole history before it.
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { createHash, hash as oneShotHash } from "node:crypto";

const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;
/** `,"hash":"` + 64 hex + `"}` */
const SUFFIX_LENGTH = 75;

export type UnhashedRecord = Omit<JournalRecord, "hash">;

/** One-shot crypto.hash where the runtime has it (Node >= 20.12): no Hash object per record. */
export const sha256Hex: (data: string | Uint8Array) => string =
  typeof oneShotHash === "function"
    ? (data) => oneShotHash("sha256", data, "hex")
    : (data) => createHash("sha256").update(data).digest("hex");

/**
 * The record without its hash, serialized with keys in canonical order. One object literal of a fixed shape (V8's
 * fast path for JSON.stringify); optional fields that are undefined are left out by JSON.stringify itself.
 */
export function canonicalBody(r: UnhashedRecord): string {
  return JSON.stringify({
    v: r.v,
    seq: r.seq,
    ts: r.ts,
    actor: { user: r.actor.user, host: r.actor.host },
    profile: r.profile,
    incident: r.incident,
    kind: r.kind,
    summary: r.summary,
    details: r.details,
    outcome: r.outcome,
    durationMs: r.durationMs,
    prev: r.prev,
  });
}

const FIELD_TYPES: [keyof JournalRecord, string, boolean][] = [
  ["v", "number", true],
  ["seq", "number", true],
  ["ts", "string", true],
  ["actor", "object", true],
  ["profile", "string", false],
  ["incident", "string", false],
  ["kind", "string", true],
  ["summary", "string", true],
  ["details", "object", true],
  ["outcome", "string", true],
  ["durationMs", "number", false],
  ["prev", "string", true],
  ["hash", "string", true],
];

/** Fields present with the right JSON types (so canonicalBody can be applied to a parsed, possibly hostile, value). */
export function hasRecordShape(r: unknown): r is JournalRecord {
  if (!r || typeof r !== "object" || Array.isArray(r)) return false;
  const o = r as Record<string, unknown>;
  for (const [k, type, required] of FIELD_TYPES) {
    const v = o[k];
    if (v === undefined ? required : typeof v !== type || v === null) return false;
  }
  const a = o.actor as Record<string, unknown>;
  return typeof a.user === "string" && typeof a.host === "string" && !Array.isArray(o.details);
}

/** Hashes a record and returns the line to write (without the newline). */
export function sealRecord(r: UnhashedRecord): { line: string; hash: string } {
  const body = canonicalBody(r);
  const hash = sha256Hex(body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/** The body a line's hash was computed over, or undefined when the line does not end in a hash field. */
export function bodyOfLine(line: string): { body: string; hash: string } | undefined {
  const m = HASH_SUFFIX.exec(line);
  if (!m) return undefined;
  return { body: `${line.slice(0, -SUFFIX_LENGTH)}}`, hash: m[1] as string };
}

/** The stated hash of a line (its last field), without checking it; "" when the line has none. */
export function hashOfLine(line: string): string {
  return line.endsWith('"}') && line.slice(-SUFFIX_LENGTH, -66) === ',"hash":"'
    ? line.slice(-66, -2)
    : (bodyOfLine(line)?.hash ?? "");
}

export type LineCheck =
  | { ok: true; record: JournalRecord }
  | { ok: false; reason: "unparseable" | "hash-mismatch" | "non-canonical"; record?: JournalRecord; message: string };

/**
 * Checks one line on its own: it parses, its stated hash is the sha256 of its body, and it is in canonical form
 * (re-serializing the parsed record gives the same bytes, so hand-added fields or reordered keys are caught too).
 */
export function checkLine(line: string): LineCheck {
  let record: JournalRecord;
  try {
    record = JSON.parse(line) as JournalRecord;
  } catch {
    return { ok: false, reason: "unparseable", message: "the line is not valid JSON" };
  }
  if (!record || typeof record !== "object" || typeof record.seq !== "number" || typeof record.hash !== "string") {
    return { ok: false, reason: "unparseable", message: "the line is not a journal record" };
  }
  if (!hasRecordShape(record))
    return {
      ok: false,
      reason: "non-canonical",
      record,
      message: "the record's fields are missing or of the wrong type",
    };
  const split = bodyOfLine(line);
  if (!split || sha256Hex(split.body) !== split.hash) {
    return { ok: false, reason: "hash-mismatch", record, message: "the record's content does not match its hash" };
  }
  const { hash: _hash, ...rest } = record;
  if (canonicalBody(rest) !== split.body) {
    return {
      ok: false,
      reason: "non-canonical",
      record,
      message: "the record's bytes are not in canonical form (fields added, removed or reordered)",
    };
  }
  return { ok: true, record };
}

/** Re-creates the exact journal line of a parsed record (used to verify exports, where records arrive as JSON values). */
export function lineOfRecord(record: JournalRecord): string {
  const { hash, ...rest } = record;
  const body = canonicalBody(rest);
  return `${body.slice(0, -1)},"hash":"${hash}"}`;
}

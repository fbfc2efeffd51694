// The canonical form of a record, which the hash chain is computed over. It is defined on the bytes of the line so that
// anyone can re-check it without Lifeboat (see README-format.md):
//   body = JSON.stringify of the record without `hash`, keys in the fixed order below, absent optionals omitted;
//   hash = sha256_hex(utf8(body));
//   line = body with `,"hash":"<hash>"` inserted before the final `}`.
// Because `prev` (the previous record's hash) is inside the body, each hash covers the whole history before it.
import { createHash } from "node:crypto";
import type { JournalRecord } from "./record.ts";

const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;
/** `,"hash":"` + 64 hex + `"}` */
const SUFFIX_LENGTH = 75;

export type UnhashedRecord = Omit<JournalRecord, "hash">;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The record without its hash, serialized with keys in canonical order. */
export function canonicalBody(r: UnhashedRecord): string {
  const o: Record<string, unknown> = { v: r.v, seq: r.seq, ts: r.ts, actor: { user: r.actor.user, host: r.actor.host } };
  if (r.profile !== undefined) o.profile = r.profile;
  if (r.incident !== undefined) o.incident = r.incident;
  o.kind = r.kind;
  o.summary = r.summary;
  o.details = r.details;
  o.outcome = r.outcome;
  if (r.durationMs !== undefined) o.durationMs = r.durationMs;
  o.prev = r.prev;
  return JSON.stringify(o);
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
  const split = bodyOfLine(line);
  if (!split || sha256Hex(split.body) !== split.hash) {
    return { ok: false, reason: "hash-mismatch", record, message: "the record's content does not match its hash" };
  }
  const { hash: _hash, ...rest } = record;
  if (canonicalBody(rest) !== split.body) {
    return { ok: false, reason: "non-canonical", record, message: "the record's bytes are not in canonical form (fields added, removed or reordered)" };
  }
  return { ok: true, record };
}

/** Re-creates the exact journal line of a parsed record (used to verify exports, where records arrive as JSON values). */
export function lineOfRecord(record: JournalRecord): string {
  const { hash, ...rest } = record;
  const body = canonicalBody(rest);
  return `${body.slice(0, -1)},"hash":"${hash}"}`;
}

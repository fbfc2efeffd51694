// Everything headed for the journal passes through here before it is hashed: secret values are scrubbed (keys and
// values), and the value is made plain JSON so that the canonical form is stable (no undefined, Dates become ISO
// strings, errors become {name, message}, bigints become strings, cycles and excessive depth are cut).
//
// redactText costs about the same per call whatever the length, and a record holds a dozen strings, so all strings of
// one entry are redacted in a single call, joined by a separator no pattern can match across (it holds no whitespace
// adjacent to "=" or ":" and control characters no secret contains); if the split does not give back as many parts,
// each string is redacted on its own.
import { redactText } from "../secrets/redact.ts";
import type { JournalEntryInput } from "./record.ts";

const MAX_DEPTH = 12;
const MAX_STRING = 16_384;
const SEP = "\n\u0001\u0002\n";

function bound(s: string, max = MAX_STRING): string {
  return s.length > max ? `${s.slice(0, max)}… [truncated ${s.length - max} chars]` : s;
}

export function cleanText(s: string, max = MAX_STRING): string {
  return bound(redactText(s), max);
}

/** Redacts many strings with one redactText call; returns the same array when nothing needed redacting. */
export function redactMany(strings: string[]): string[] {
  if (strings.length === 0) return strings;
  const joined = strings.join(SEP);
  const red = redactText(joined);
  if (red === joined) return strings;
  const parts = red.split(SEP);
  return parts.length === strings.length ? parts : strings.map((s) => redactText(s));
}

// eslint-disable-next-line no-control-regex -- folding control characters out of a one-line summary is the point
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** Converts to plain JSON, handing every string (object keys included) to `str`: values before their key. */
function plain(value: unknown, str: (s: string) => string, depth: number, seen: Set<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
      return str(value);
    case "number":
      return Number.isFinite(value) ? value : str(String(value));
    case "boolean":
      return value;
    case "bigint":
      return str(value.toString());
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : str(value.toISOString());
  if (depth >= MAX_DEPTH) return str("[too deep]");
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return str(`[${(value as ArrayBufferView).byteLength} bytes]`);
  const obj = value as object;
  if (seen.has(obj)) return str("[circular]");
  seen.add(obj);
  try {
    if (Array.isArray(value)) return value.map((v) => plain(v, str, depth + 1, seen) ?? null);
    let source = value as Record<string, unknown>;
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      source = { name: value.name, message: value.message, ...(typeof code === "string" ? { code } : {}) };
    }
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(source)) {
      const c = plain(v, str, depth + 1, seen);
      if (c !== undefined) entries.push([str(k), c]);
    }
    // fromEntries defines own properties, so a "__proto__" key stays data rather than becoming a prototype.
    return Object.fromEntries(entries);
  } finally {
    seen.delete(obj);
  }
}

export interface CleanEntry {
  summary: string;
  profile?: string;
  incident?: string;
  details: Record<string, unknown>;
}

/** The redacted, JSON-plain, bounded form of an entry's free text. */
export function cleanEntry(e: Pick<JournalEntryInput, "summary" | "profile" | "incident" | "details">): CleanEntry {
  const raw: string[] = [];
  const details = e.details ? (plain(e.details, (s) => (raw.push(s), s), 0, new Set()) as Record<string, unknown>) : {};
  const nDetails = raw.length;
  raw.push(String(e.summary).replace(CONTROL, " ").trim());
  if (e.profile !== undefined) raw.push(String(e.profile));
  if (e.incident !== undefined) raw.push(String(e.incident));
  const red = redactMany(raw);
  let i = 0;
  // The common case: nothing to redact or bound, and the first pass already is the answer.
  const untouched = red === raw && raw.every((s) => s.length <= MAX_STRING);
  const cleanDetails = nDetails && !untouched ? (plain(details, () => bound(red[i++] as string), 0, new Set()) as Record<string, unknown>) : details;
  const out: CleanEntry = { summary: bound(red[nDetails] as string, 1000), details: cleanDetails };
  const rest = red.slice(nDetails + 1);
  if (e.profile !== undefined) out.profile = bound(rest.shift() as string, 200);
  if (e.incident !== undefined) out.incident = bound(rest.shift() as string, 200);
  return out;
}

/** A stand-in for details too large to journal whole (the bound keeps one record well under a megabyte). */
export function truncatedDetails(details: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(details);
  return { truncated: true, originalChars: json.length, preview: json.slice(0, 4096) };
}

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

/**
 * Visits strings (object keys included, values before their key) in a fixed order. Collecting pushes each string;
 * replacing hands back the next redacted one. A class, not callbacks: closures made per record show up in profiles.
 */
class StringPass {
  strings: string[] = [];
  private next = 0;
  constructor(
    private readonly replacing: boolean,
    replacements?: string[],
  ) {
    if (replacements) this.strings = replacements;
  }
  str(s: string): string {
    if (!this.replacing) {
      this.strings.push(s);
      return s;
    }
    return bound(this.strings[this.next++] as string);
  }
}

/** Converts to plain JSON, passing every string through `pass`. */
function plain(value: unknown, pass: StringPass, depth: number, seen: Set<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
      return pass.str(value);
    case "number":
      return Number.isFinite(value) ? value : pass.str(String(value));
    case "boolean":
      return value;
    case "bigint":
      return pass.str(value.toString());
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : pass.str(value.toISOString());
  if (depth >= MAX_DEPTH) return pass.str("[too deep]");
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value))
    return pass.str(`[${(value as ArrayBufferView).byteLength} bytes]`);
  const obj = value as object;
  if (seen.has(obj)) return pass.str("[circular]");
  seen.add(obj);
  try {
    if (Array.isArray(value)) {
      const arr: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) arr[i] = plain(value[i], pass, depth + 1, seen) ?? null;
      return arr;
    }
    let source = value as Record<string, unknown>;
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      source = { name: value.name, message: value.message, ...(typeof code === "string" ? { code } : {}) };
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(source)) {
      const c = plain(source[k], pass, depth + 1, seen);
      if (c === undefined) continue;
      const key = pass.str(k);
      // Plain assignment of "__proto__" would set the prototype; define it as the ordinary data key it is.
      if (key === "__proto__")
        Object.defineProperty(out, key, { value: c, enumerable: true, writable: true, configurable: true });
      else out[key] = c;
    }
    return out;
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

// eslint-disable-next-line no-control-regex -- see CONTROL
const HAS_CONTROL = /[\u0000-\u001f\u007f]/;

/** The redacted, JSON-plain, bounded form of an entry's free text (`incident` defaults to the entry's own). */
export function cleanEntry(
  e: Pick<JournalEntryInput, "summary" | "profile" | "incident" | "details">,
  incident: string | undefined = e.incident,
): CleanEntry {
  const collect = new StringPass(false);
  const details = e.details ? (plain(e.details, collect, 0, new Set()) as Record<string, unknown>) : {};
  const raw = collect.strings;
  const nDetails = raw.length;
  const summary = String(e.summary);
  raw.push(HAS_CONTROL.test(summary) ? summary.replace(CONTROL, " ").trim() : summary.trim());
  if (e.profile !== undefined) raw.push(String(e.profile));
  if (incident !== undefined) raw.push(String(incident));
  const red = redactMany(raw);
  // The common case: nothing to redact or bound, and the first pass already is the answer.
  let untouched = red === raw;
  for (let k = 0; untouched && k < raw.length; k++) if ((raw[k] as string).length > MAX_STRING) untouched = false;
  const cleanDetails =
    nDetails && !untouched
      ? (plain(details, new StringPass(true, red), 0, new Set()) as Record<string, unknown>)
      : details;
  const out: CleanEntry = { summary: bound(red[nDetails] as string, 1000), details: cleanDetails };
  const rest = red.slice(nDetails + 1);
  if (e.profile !== undefined) out.profile = bound(rest.shift() as string, 200);
  if (incident !== undefined) out.incident = bound(rest.shift() as string, 200);
  return out;
}

/** A stand-in for details too large to journal whole (the bound keeps one record well under a megabyte). */
export function truncatedDetails(details: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.stringify(details);
  return { truncated: true, originalChars: json.length, preview: json.slice(0, 4096) };
}

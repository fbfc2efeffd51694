// Everything headed for the journal passes through here before it is hashed: secret values are scrubbed (keys and
// values), and the value is made plain JSON so that the canonical form is stable (no undefined, Dates become ISO
// strings, errors become {name, message}, bigints become strings, cycles and excessive depth are cut).
import { redactText } from "../secrets/redact.ts";

const MAX_DEPTH = 12;
const MAX_STRING = 16_384;
const MAX_DETAILS_BYTES = 65_536;

export function cleanText(s: string, max = MAX_STRING): string {
  const r = redactText(s);
  return r.length > max ? `${r.slice(0, max)}… [truncated ${r.length - max} chars]` : r;
}

/** A one-line summary: redacted, control characters folded to spaces, bounded. */
export function cleanSummary(s: string): string {
  // eslint-disable-next-line no-control-regex -- folding control characters is the point
  return cleanText(String(s).replace(/[\u0000-\u001f\u007f]+/g, " ").trim(), 1000);
}

function clean(value: unknown, depth: number, seen: Set<object>): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
      return cleanText(value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return "[too deep]";
  const obj = value as object;
  if (seen.has(obj)) return "[circular]";
  seen.add(obj);
  try {
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      return { name: cleanText(value.name), message: cleanText(value.message), ...(typeof code === "string" ? { code: cleanText(code) } : {}) };
    }
    if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1, seen) ?? null);
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${(value as ArrayBufferView).byteLength} bytes]`;
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const c = clean(v, depth + 1, seen);
      if (c !== undefined) entries.push([cleanText(k, 200), c]);
    }
    // fromEntries defines own properties, so a "__proto__" key stays data rather than becoming a prototype.
    return Object.fromEntries(entries);
  } finally {
    seen.delete(obj);
  }
}

/** A redacted, JSON-plain copy of a details object, bounded in size. */
export function cleanDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!details) return {};
  const out = clean(details, 0, new Set()) as Record<string, unknown>;
  const json = JSON.stringify(out);
  if (json.length <= MAX_DETAILS_BYTES) return out;
  return { truncated: true, originalChars: json.length, preview: json.slice(0, 4096) };
}

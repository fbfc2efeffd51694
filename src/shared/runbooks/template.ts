// Payload templates: a string that is exactly "{{path}}" becomes the value at that path (keeping its type); any other
// string has its {{path}} parts interpolated. A pipe applies a filter: "recovery-{{inputs.point.at | stamp}}".
import type { Condition, Expectation, Template } from "./runbook-types.ts";

export type TemplateContext = Record<string, unknown>;

const WHOLE = /^\{\{\s*([^}]+?)\s*\}\}$/;
const PART = /\{\{\s*([^}]+?)\s*\}\}/g;

export function getPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split(".")) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur) && key === "last") cur = cur[cur.length - 1];
    else cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

const FILTERS: Record<string, (v: unknown) => unknown> = {
  /** 2026-01-17T14:29:59Z -> 20260117-142959 (UTC). To the second, so a retry a minute later gets a new name. */
  stamp: (v) => {
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime())) return undefined;
    return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  },
  /** The same with an underscore, for database names that need no quoting: 20260117_142959. */
  ustamp: (v) => (FILTERS.stamp!(v) as string | undefined)?.replace("-", "_"),
  /** 2026-01-17T14:29:59Z -> 2026-01-17 (UTC). */
  date: (v) => {
    const d = new Date(String(v));
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
  },
  /** An empty string becomes "absent", so an optional payload field is left out. */
  nonempty: (v) => (v === "" || v === null ? undefined : v),
  number: (v) => (v === undefined || v === null || v === "" ? undefined : Number(v)),
  string: (v) => (v === undefined || v === null ? undefined : String(v)),
  /** ["Patient", "ClinicalNote"] -> "Patient, ClinicalNote": a list as an editable text field's default. */
  join: (v) => (Array.isArray(v) ? v.join(", ") : v),
  /** [{ table: "Patient", … }, { table: "Patient", … }, { table: "LabResult", … }] -> ["Patient", "LabResult"]. */
  tableNames: (v) =>
    Array.isArray(v)
      ? [...new Set(v.map((x) => (x as { table?: unknown } | null)?.table).filter((t) => typeof t === "string"))]
      : undefined,
  /** "Patient, ClinicalNote" -> ["Patient", "ClinicalNote"]: what the operator typed, as a payload's list. */
  list: (v) =>
    Array.isArray(v)
      ? v
      : typeof v === "string"
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
};

function evaluate(expr: string, ctx: TemplateContext): unknown {
  const [path, ...filters] = expr.split("|").map((s) => s.trim());
  let v = getPath(ctx, path!);
  for (const f of filters) {
    const fn = FILTERS[f];
    if (!fn) throw new Error(`unknown template filter "${f}"`);
    v = fn(v);
  }
  return v;
}

/** Paths a template reads, for checking definitions. */
export function templatePaths(t: Template): string[] {
  if (typeof t === "string") return [...t.matchAll(PART)].map((m) => m[1]!.split("|")[0]!.trim());
  if (Array.isArray(t)) return t.flatMap(templatePaths);
  if (t && typeof t === "object") return Object.values(t).flatMap(templatePaths);
  return [];
}

/** Resolves a template. Object keys whose value resolves to undefined are left out (optional payload fields). */
export function resolveTemplate(t: Template, ctx: TemplateContext): unknown {
  if (typeof t === "string") {
    const whole = WHOLE.exec(t);
    if (whole) return evaluate(whole[1]!, ctx);
    return t.replace(PART, (_, expr: string) => {
      const v = evaluate(expr, ctx);
      return v === undefined || v === null ? "" : String(v);
    });
  }
  if (Array.isArray(t)) return t.map((x) => resolveTemplate(x, ctx));
  if (t && typeof t === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) {
      const r = resolveTemplate(v, ctx);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return t;
}

export function holds(c: Condition, ctx: TemplateContext): boolean {
  const v = getPath(ctx, c.path);
  if ("equals" in c) return v === c.equals;
  if ("notEquals" in c) return v !== c.notEquals;
  return Boolean(v);
}

/** The failures among an action's expectations ([] when the result is as it should be). */
export function failedExpectations(expect: Expectation[] | undefined, value: unknown): Expectation[] {
  return (expect ?? []).filter((e) => !meets(e, getPath(value, e.path)));
}

function meets(e: Expectation, v: unknown): boolean {
  switch (e.op) {
    case "eq":
      return v === e.value;
    case "ne":
      return v !== e.value;
    case "gt":
      return typeof v === "number" && v > Number(e.value);
    case "gte":
      return typeof v === "number" && v >= Number(e.value);
    case "lte":
      return typeof v === "number" && v <= Number(e.value);
    case "truthy":
      return Boolean(v);
    case "falsy":
      return !v;
  }
}

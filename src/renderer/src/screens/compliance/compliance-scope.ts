// What the Compliance screen's form asks the engine for. Empty dates are the engine's default (the twelve months up to
// now); today as the end is "now", not tonight (a period may not end in the future).
import type { RequestOf } from "../../api/invoke.ts";

export type ReportScope = RequestOf<"compliance.report">;
export type ControlSet = ReportScope["controlSet"];

export interface ScopeForm {
  /** A profile's name, or "" for all. */
  profile: string;
  /** UTC days (YYYY-MM-DD), or "". */
  from: string;
  to: string;
  controlSet: ControlSet;
}

export const DEFAULT_SCOPE_FORM: ScopeForm = { profile: "", from: "", to: "", controlSet: "hipaa" };

export function scopeOf(f: ScopeForm, today = new Date().toISOString().slice(0, 10)): ReportScope {
  return {
    ...(f.profile ? { profiles: [f.profile] } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to && f.to < today ? { to: f.to } : {}),
    controlSet: f.controlSet,
  };
}

// The names Lifeboat gives the branches it makes. They are how Lifeboat later recognises its own branches, and the
// only ones it will ever delete: a branch someone else made is not Lifeboat's to throw away.
import type { Branch } from "@neondatabase/api-client";

export const LIFEBOAT_BRANCH_PREFIXES = ["recovery-", "backup-test-", "emergency-"] as const;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** 20260117-142959 in UTC: sortable, and the same on every operator's laptop whatever its time zone. */
export function stamp(at: Date): string {
  return `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

export const recoveryBranchName = (at: Date): string => `recovery-${stamp(at)}`;
export const emergencyBranchName = (at: Date): string => `emergency-${stamp(at)}`;
export const preserveBranchName = (at: Date): string => `backup-before-restore-${stamp(at)}`;

/** backup-test-2026-01-19, as in the seed's weekly script. */
export function drillBranchName(at: Date): string {
  return `backup-test-${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/** `base`, or `base-2`, `base-3`, ... : the first name no branch has. */
export function freeName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function isLifeboatBranchName(name: string): boolean {
  return LIFEBOAT_BRANCH_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length);
}

/** Neon's branch ids: "br-" and words, e.g. br-small-term-683261. */
export function looksLikeBranchId(s: string): boolean {
  return /^br-[a-z0-9-]+$/.test(s);
}

/** A branch named or identified by `ref`: the exact id first, then the exact name. */
export function findBranch(branches: Branch[], ref: string): Branch | undefined {
  return branches.find((b) => b.id === ref) ?? branches.find((b) => b.name === ref);
}

/** Neon's branch names allow 1..256 characters; Lifeboat keeps to the characters a shell and a URL take as they are. */
export const BRANCH_NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,255}$/;

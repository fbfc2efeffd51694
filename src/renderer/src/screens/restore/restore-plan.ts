// What the operator has chosen in the restore wizard so far, and the engine requests it turns into.
import type { Profile } from "../../../../shared/config.ts";
import type { RequestOf } from "../../api/invoke.ts";

export type RestoreSource = { kind: "backup"; id: string } | { kind: "neon"; at: string };

export type RestoreTarget =
  /** `profile`: restore onto that profile's server instead of this profile's own (a scratch server, a new branch). */
  | { kind: "new-database"; database: string; profile?: string }
  | { kind: "existing-empty"; database: string; profile?: string }
  | { kind: "production"; confirm: string }
  | { kind: "neon-branch"; branchName: string }
  | { kind: "neon-in-place"; branch: string; confirm: string };

/** What of the backup is restored: every table (the default), some of them, or the schema without rows. */
export type RestoreScope = { what: "all" } | { what: "tables"; tables: string[] } | { what: "schema" };

export interface RestorePlan {
  source: RestoreSource | undefined;
  target: RestoreTarget | undefined;
  scope?: RestoreScope;
}

export const TARGET_LABELS: Record<RestoreTarget["kind"], string> = {
  "new-database": "A new database",
  "existing-empty": "An existing empty database",
  production: "Production, overwriting it",
  "neon-branch": "A new Neon branch",
  "neon-in-place": "Production branch, in place",
};

export function isProductionTarget(t: RestoreTarget | undefined): boolean {
  return t?.kind === "production" || t?.kind === "neon-in-place";
}

export function restoreRequest(profile: Profile, plan: RestorePlan): RequestOf<"restore.run"> | undefined {
  const { source, target } = plan;
  if (source?.kind !== "backup" || !target) return undefined;
  const scope = plan.scope ?? { what: "all" };
  const what =
    scope.what === "tables" ? { tables: scope.tables } : scope.what === "schema" ? { schemaOnly: true as const } : {};
  if (target.kind === "new-database" || target.kind === "existing-empty")
    return {
      profile: profile.name,
      id: source.id,
      database: target.database,
      ...(target.profile && target.profile !== profile.name ? { targetProfile: target.profile } : {}),
      ...what,
    };
  if (target.kind === "production")
    return {
      profile: profile.name,
      id: source.id,
      database: profile.database.database,
      force: true,
      confirm: target.confirm,
      ...what,
    };
  return undefined;
}

/** A name the engine would accept as a database or branch, suggested from the source time. */
export function suggestName(prefix: string, now = new Date()): string {
  const iso = now.toISOString();
  return `${prefix}${iso.slice(0, 10).replace(/-/g, "")}_${iso.slice(11, 19).replace(/:/g, "")}`;
}

export function targetValid(plan: RestorePlan, profile: Profile): boolean {
  const t = plan.target;
  if (!t) return false;
  if (plan.scope?.what === "tables" && plan.scope.tables.length === 0) return false;
  switch (t.kind) {
    case "new-database":
    case "existing-empty":
      // Production's own name is refused only on production's own server: another profile's server is another place.
      return (
        /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/.test(t.database) &&
        ((t.profile ?? profile.name) !== profile.name || t.database !== profile.database.database)
      );
    case "production":
      return t.confirm === profile.database.database;
    case "neon-branch":
      return /^[A-Za-z0-9_.-]{1,64}$/.test(t.branchName);
    case "neon-in-place":
      return t.confirm !== "" && t.confirm === t.branch;
  }
}

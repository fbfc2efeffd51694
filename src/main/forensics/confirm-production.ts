import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";

/**
 * A write into production happens only when the operator typed production's database name (not the profile name:
 * the database name is what the console and `psql` show, so it is what a tired operator actually checks).
 */
export function requireProductionConfirmation(production: ConnInfo, confirm: string | undefined, action: string): void {
  if (confirm === production.database) return;
  const db = production.database;
  throw new LifeboatError(
    "CONFIRMATION_REQUIRED",
    confirm === undefined || confirm === ""
      ? `${action} writes into the production database "${db}" and needs typed confirmation; nothing was written`
      : `the confirmation "${confirm}" is not the production database name "${db}"; nothing was written`,
    `Run it with --dry-run first to see what would change, then again with --confirm ${db} (the production database name).`,
    { database: db },
  );
}

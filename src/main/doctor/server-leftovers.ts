// On a profile's database server (and its verify scratch server): staging databases of restores that were killed or
// kept for inspection, and databases an overwrite replaced. Only the operator can say they are no longer needed; here
// they are listed, and dropped only when the operator confirms each.
import type { DatabaseTarget, Profile } from "../../shared/config.ts";
import { withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import { withClient } from "../postgres/connect.ts";
import { dropDatabase, leftoverWarning, MAINTENANCE_QUERY_MS, unusedLeftovers } from "../restore/restore-target.ts";
import type { Leftover } from "./leftover.ts";

export async function serverLeftovers(
  profile: Profile,
  target: DatabaseTarget,
  resolve: (t: DatabaseTarget) => Promise<ConnInfo>,
): Promise<Leftover[]> {
  const server = await resolve(target);
  const rows = await withClient(withDatabase(server, server.database), unusedLeftovers, {
    queryTimeoutMs: MAINTENANCE_QUERY_MS,
  });
  return rows.map((r) => ({
    id: `staging-database:${server.host}:${server.port}:${r.database}`,
    kind: "staging-database" as const,
    profile: profile.name,
    what: leftoverWarning(`${server.host}:${server.port}`, r),
    fix: `DROP DATABASE "${r.database}"`,
    repair: async () => {
      await dropDatabase(server, r.database, false); // somebody connected since the scan: their call, not ours
      return `dropped database "${r.database}" on ${server.host}:${server.port}`;
    },
  }));
}

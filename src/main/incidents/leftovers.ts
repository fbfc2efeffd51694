// What a recovery leaves behind: Lifeboat's Neon branches (each with a compute that keeps running, and billing, until
// deleted) and databases a restore left on a server (staging databases, restored copies). Listed at an incident's
// close, with the ones the incident itself made marked, so none is forgotten; deleted only on the operator's word.
import type { Leftovers } from "../../shared/api/channels/leftover-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { listBranches } from "../neon/neon-branches.ts";
import type { NeonRunOptions } from "../neon/neon-client.ts";
import { leftoverDatabases } from "../restore/restore-target.ts";

type Ctx = Pick<EngineContext, "resolveSecret" | "signal">;

export interface IncidentMade {
  branches: Set<string>;
  /** Databases restored (created) during the incident, by the profile whose server holds them. */
  databases: Map<string, Set<string>>;
}

/**
 * What the journal records was made: recovery/emergency branches and databases restores created, in one incident, or
 * ("journal") anywhere in this machine's journal (its newest thousand of each).
 */
export async function madeInIncident(journal: Pick<JournalReader, "query">, incident: string | "journal" | undefined) {
  const made: IncidentMade = { branches: new Set(), databases: new Map() };
  if (!incident) return made;
  const scope = incident === "journal" ? {} : { incident };
  const [neon, restores] = await Promise.all([
    journal.query({ ...scope, kind: "neon.", outcome: "ok", newest: true, limit: 1000 }),
    journal.query({ ...scope, kind: "restore.run", outcome: "ok", newest: true, limit: 1000 }),
  ]);
  for (const r of neon.records) if (typeof r.details.branch === "string") made.branches.add(r.details.branch);
  for (const r of restores.records) {
    const d = r.details;
    if (d.created !== true || typeof d.targetDatabase !== "string") continue;
    const owner = typeof d.targetProfile === "string" ? d.targetProfile : (r.profile ?? "");
    if (!made.databases.has(owner)) made.databases.set(owner, new Set());
    made.databases.get(owner)!.add(typeof d.database === "string" ? d.database : d.targetDatabase);
  }
  return made;
}

export async function listLeftovers(
  profile: Profile,
  made: IncidentMade,
  profileByName: (name: string) => Promise<Profile>,
  neonOptions: NeonRunOptions,
  ctx: Ctx,
  now = new Date(),
): Promise<Leftovers> {
  const out: Leftovers = { checkedAt: now.toISOString(), branches: [], databases: [], unchecked: [] };
  const servers = new Set([profile.name, ...made.databases.keys()].filter(Boolean));
  await Promise.all([
    (async () => {
      if (!profile.neon) return;
      try {
        const { branches } = await listBranches(profile, neonOptions, ctx);
        for (const b of branches)
          if (b.lifeboat && !b.default && !b.protected)
            out.branches.push({
              name: b.name,
              id: b.id,
              createdAt: b.createdAt,
              ...(b.computeState ? { computeState: b.computeState } : {}),
              fromIncident: made.branches.has(b.name),
            });
      } catch (e) {
        out.unchecked.push({ what: "Neon branches", message: toErrorInfo(e).message });
      }
    })(),
    ...[...servers].map(async (name) => {
      try {
        const p = name === profile.name ? profile : await profileByName(name);
        const mine = made.databases.get(name) ?? new Set<string>();
        const found = await leftoverDatabases(await resolveConn(p.database, ctx), [...mine]);
        for (const [kind, list] of [
          ["staging", found.staging],
          ["restored", found.restored],
        ] as const)
          for (const d of list)
            out.databases.push({
              database: d.database,
              profile: p.name,
              host: p.database.host,
              bytes: d.bytes,
              kind,
              fromIncident: mine.has(d.database),
            });
      } catch (e) {
        out.unchecked.push({ what: `databases on profile ${name}'s server`, message: toErrorInfo(e).message });
      }
    }),
  ]);
  out.branches.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return out;
}

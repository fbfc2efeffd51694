// `lifeboat doctor`: what killed or failed runs left behind, found in one read-only pass over every place a run
// leaves things (the stores, the database servers, the journal, this machine's temp folder and locks), and cleaned
// up only when the operator names what to clean. Every cleanup is journaled.
import type { DoctorFinding } from "../../shared/api/channels/doctor-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore, resolveConn } from "../engine/profile-runtime.ts";
import type { Journal, JournalReader } from "../journal/journal.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { journalLeftovers } from "./journal-leftovers.ts";
import { describeError, type Leftover, type Scan } from "./leftover.ts";
import { deadTempFolders, staleLocks } from "./local-leftovers.ts";
import { serverLeftovers } from "./server-leftovers.ts";
import { storeLeftovers } from "./store-leftovers.ts";

export interface DoctorDeps {
  /** The profiles to look at (one, or all configured). */
  profiles: Profile[];
  ctx: Pick<EngineContext, "resolveSecret" | "env" | "tmpDir">;
  reader: JournalReader;
  journal: () => Promise<Journal>;
  now?: Date;
}

export async function scanLeftovers(d: DoctorDeps): Promise<Scan> {
  const scan: Scan = { leftovers: [], checked: [], unchecked: [] };
  const look = async (what: string, fn: () => Promise<Leftover[]>): Promise<void> => {
    try {
      scan.leftovers.push(...(await fn()));
      scan.checked.push(what);
    } catch (e) {
      scan.unchecked.push(`${what}: ${describeError(e)}`);
    }
  };
  const now = d.now ?? new Date();
  const stores = new Map<string, Promise<BackupStore>>();
  const storeFor = (p: Profile): Promise<BackupStore> => {
    if (!stores.has(p.name)) stores.set(p.name, profileStore(p, d.ctx));
    return stores.get(p.name)!;
  };
  for (const p of d.profiles) {
    await look(`store of profile ${p.name}`, async () => storeLeftovers(p, await storeFor(p), now));
    const resolve = (t: Parameters<typeof resolveConn>[0]) => resolveConn(t, d.ctx);
    await look(`database server of profile ${p.name} (${p.database.host})`, () =>
      serverLeftovers(p, p.database, resolve),
    );
    const scratch = p.verify?.scratch;
    if (scratch) await look(`verify scratch server of profile ${p.name}`, () => serverLeftovers(p, scratch, resolve));
  }
  await look(`journal ${d.reader.dir}`, () =>
    journalLeftovers({
      reader: d.reader,
      journal: d.journal,
      storeFor: async (name) => {
        const p = d.profiles.find((x) => x.name === name);
        return p ? storeFor(p) : undefined;
      },
    }),
  );
  await look(`lock files in ${d.reader.dir}`, () => staleLocks(d.reader.dir));
  await look("temporary folders", () => deadTempFolders(d.ctx.tmpDir));
  return scan;
}

export function findings(scan: Scan): DoctorFinding[] {
  return scan.leftovers.map(({ repair: _repair, ...f }) => f);
}

/** Cleans the leftovers named by `ids`, as a fresh scan finds them; each cleanup is one journal record. */
export async function fixLeftovers(
  d: DoctorDeps,
  ids: string[],
): Promise<{ fixed: { id: string; done: string }[]; failed: { id: string; error: string }[]; gone: string[] }> {
  const scan = await scanLeftovers(d);
  const byId = new Map(scan.leftovers.map((l) => [l.id, l]));
  const result = {
    fixed: [] as { id: string; done: string }[],
    failed: [] as { id: string; error: string }[],
    gone: [] as string[],
  };
  const journal = await d.journal();
  for (const id of ids) {
    const l = byId.get(id);
    if (!l) {
      result.gone.push(id);
      continue;
    }
    const entry = {
      kind: "doctor.fix",
      summary: `Cleanup: ${l.fix} — ${l.what}`.slice(0, 500),
      ...(l.profile ? { profile: l.profile } : {}),
    };
    try {
      const done = await l.repair();
      result.fixed.push({ id, done });
      await journal.append({ ...entry, outcome: "ok", details: { finding: id, kind: l.kind, done } });
    } catch (e) {
      const error = describeError(e);
      result.failed.push({ id, error });
      await journal.append({
        ...entry,
        outcome: "failed",
        details: { finding: id, kind: l.kind, error: { message: error } },
      });
    }
  }
  return result;
}

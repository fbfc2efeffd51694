// `lifeboat keys check`: will the backups still open in year seven? For every retained backup, the recipients it was
// encrypted to (from its manifest), which key on record each belongs to, and whether an identity this machine holds
// opens it, proven on the age header alone (its MAC is checked with the unwrapped file key), so it is fast.
import type { z } from "zod";
import type { KeyCheckRow } from "../../shared/api/channels/keys-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { listBackups } from "../backup/backup-catalog.ts";
import { parseAgeHeader, unwrapFileKey } from "../crypto/age-header.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { listRuns, loadRun } from "../attachments/attachment-catalog.ts";
import { namedStore, openNamedStore } from "../replicas/profile-stores.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { keysOnRecord, publicKeys, type ReachableKey } from "./keys-on-record.ts";
import { readObjectHead } from "./read-header.ts";

type Row = z.infer<typeof KeyCheckRow>;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function opensWith(store: BackupStore, key: string, keys: ReachableKey[]): Promise<string | null> {
  const header = parseAgeHeader(await readObjectHead(store, key));
  if (!header) throw new Error(`${key} does not begin with a complete age header`);
  for (const k of keys) {
    if (!k.identity) continue;
    try {
      unwrapFileKey(header, [k.identity]);
      return k.label;
    } catch {
      // not this one
    }
  }
  return null;
}

async function row(
  kind: Row["kind"],
  id: string,
  recipients: string[],
  headerKey: string,
  store: BackupStore,
  keys: ReachableKey[],
): Promise<Row> {
  const byRecipient = new Map(keys.map((k) => [k.recipient, k]));
  const onRecord = recipients
    .map((r) => byRecipient.get(r))
    .filter((k): k is ReachableKey => !!k && (k.role === "escrow" || k.identityRef !== null))
    .map((k) => k.label);
  const r: Row = {
    kind,
    id,
    recipients: recipients.map((x) => ({ recipient: x, key: byRecipient.get(x)?.label ?? null })),
    opensWith: null,
    onRecord,
  };
  try {
    r.opensWith = await opensWith(store, headerKey, keys);
  } catch (e) {
    r.problem = `its header could not be read: ${message(e)}`;
  }
  if (!onRecord.length) {
    r.problem = `no identity on record can open it: it was encrypted only to ${recipients.map((x) => `${x.slice(0, 12)}…`).join(", ")}, and no current, retired or escrow key of this profile holds the identity`;
  }
  return r;
}

export async function checkKeys(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret">,
  opts: { store?: string } = {},
): Promise<{
  store: string;
  keys: ReturnType<typeof publicKeys>;
  backups: Row[];
  warnings: string[];
  ok: boolean;
}> {
  const keys = await keysOnRecord(profile, ctx);
  const store = await openNamedStore(namedStore(profile, opts.store), ctx);
  const rows: Row[] = [];
  for (const m of (await listBackups(store, profile.name)).backups) {
    rows.push(await row("backup", m.id, m.encryption.recipients, m.object.key, store, keys));
  }
  for (const set of profile.attachments) {
    // A run reuses earlier runs' blobs, so what must open is the blobs of each run that copied any file still listed.
    const runs = await listRuns(store, profile.name, set.name);
    const latest = runs[0] ? await loadRun(store, profile.name, set.name, runs[0]) : null;
    const copiedIn = new Map<string, string>();
    for (const o of latest?.objects ?? []) if (!copiedIn.has(o.copiedIn)) copiedIn.set(o.copiedIn, o.blob);
    for (const [run, blob] of copiedIn) {
      const m = run === latest!.id ? latest! : await loadRun(store, profile.name, set.name, run).catch(() => null);
      rows.push(await row("attachments", `${set.name}/${run}`, m?.recipients ?? [], blob, store, keys));
    }
  }
  const warnings: string[] = [];
  const orphaned = rows.filter((r) => r.onRecord.length === 0);
  if (orphaned.length) {
    warnings.push(
      `${orphaned.length} retained backup(s) can be opened by no identity on record: ${orphaned
        .slice(0, 10)
        .map((r) => r.id)
        .join(
          ", ",
        )}${orphaned.length > 10 ? ", …" : ""}. Find the identity they were encrypted to and record it (encryption.retired), or they are lost.`,
    );
  }
  const unopened = rows.filter((r) => r.onRecord.length && !r.opensWith);
  if (unopened.length) {
    warnings.push(
      `${unopened.length} backup(s) cannot be opened with any identity this machine holds (only ${[...new Set(unopened.flatMap((r) => r.onRecord))].join(", ")} can): fine for escrow-only keys, but test them with \`lifeboat keys drill\`.`,
    );
  }
  if (!profile.encryption.escrow.length) {
    warnings.push(
      "no escrow key: every backup depends on identities kept on machines; add one with `lifeboat keys escrow --label …`.",
    );
  }
  return { store: store.description, keys: publicKeys(keys), backups: rows, warnings, ok: orphaned.length === 0 };
}

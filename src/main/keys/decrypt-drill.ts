import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { listBackups } from "../backup/backup-catalog.ts";
import { identityToRecipient } from "../crypto/age-keys.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore } from "../engine/profile-runtime.ts";
import { verifyBackup } from "../verify/verify-backup.ts";

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The decrypt drill: the escrow identity alone must open the newest and the oldest retained backup, in full (sha256,
 * decryption, every table's rows). The identity is used in memory only; the drill is journaled with the escrow
 * recipient, never the identity.
 */
export async function escrowDrill(
  profile: Profile,
  identityText: string,
  ctx: EngineContext,
): Promise<{ passed: boolean; escrow: string; checked: { id: string; ok: boolean; detail: string }[] }> {
  const lines = identityText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const recipients = lines.map(identityToRecipient);
  const escrow = profile.encryption.escrow.find((e) => recipients.includes(e.recipient));
  if (!escrow) {
    throw new LifeboatError(
      "IDENTITY_WRONG",
      `the identity given is not an escrow key of profile "${profile.name}"`,
      "Use the escrow identity (the printed one, or the token's); `lifeboat keys check` lists the escrow recipients on record.",
    );
  }
  const started = await ctx.journal.append({
    kind: "keys.drill",
    summary: `Decrypt drill with escrow key "${escrow.label}" (profile ${profile.name})`,
    profile: profile.name,
    outcome: "started",
    details: { escrow: escrow.recipient },
  });
  const { backups } = await listBackups(await profileStore(profile, ctx), profile.name);
  const picks = [...new Set([backups[0], backups[backups.length - 1]].filter((m) => !!m).map((m) => m!.id))];
  const checked: { id: string; ok: boolean; detail: string }[] = [];
  for (const id of picks) {
    const m = backups.find((b) => b.id === id)!;
    if (!m.encryption.recipients.includes(escrow.recipient)) {
      checked.push({ id, ok: false, detail: "not encrypted to this escrow key (made before it was added)" });
      continue;
    }
    try {
      const v = await verifyBackup(profile, id, ctx, { identityText: lines.join("\n") });
      checked.push({
        id,
        ok: true,
        detail: `opened and verified: ${v.tables.length} tables, sha256 ${v.sha256.slice(0, 16)}…`,
      });
    } catch (e) {
      checked.push({ id, ok: false, detail: message(e) });
    }
  }
  const passed = checked.length > 0 && checked.every((c) => c.ok);
  await ctx.journal.append({
    kind: "keys.drill",
    summary: passed
      ? `Decrypt drill PASSED: escrow key "${escrow.label}" opens ${checked.map((c) => c.id).join(" and ")}`
      : `Decrypt drill FAILED: ${
          checked.length
            ? checked
                .filter((c) => !c.ok)
                .map((c) => `${c.id}: ${c.detail}`)
                .join("; ")
            : "no backups to open"
        }`,
    profile: profile.name,
    outcome: passed ? "ok" : "failed",
    details: { escrow: escrow.recipient, checked, startSeq: started.seq },
  });
  return { passed, escrow: escrow.label, checked };
}

import type { KeyOnRecord } from "../../shared/api/channels/keys-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { identityToRecipient } from "../crypto/age-keys.ts";
import type { EngineContext } from "../engine/engine-context.ts";

export interface ReachableKey extends KeyOnRecord {
  /** The identity's text, held in memory only while the check runs; never returned by a channel. */
  identity?: string;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Every key the profile has on record: its current identity, the retired ones (rotations), and the escrow keys. For
 * each, whether this machine can reach its identity now. An escrow key is on record by its recipient alone: its
 * identity is, by design, somewhere else.
 */
export async function keysOnRecord(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret">,
): Promise<ReachableKey[]> {
  const keys: ReachableKey[] = [];
  const enc = profile.encryption;
  if (enc.identity) {
    try {
      const text = await ctx.resolveSecret(enc.identity);
      const lines = text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith("#"));
      for (const line of lines) {
        const recipient = identityToRecipient(line);
        keys.push({
          recipient,
          role: "current",
          label: `current (${enc.identity})`,
          identityRef: enc.identity,
          reachable: true,
          detail: enc.recipients.includes(recipient)
            ? "new backups are encrypted to it"
            : "its recipient is not among the profile's recipients: new backups are NOT encrypted to it",
          identity: line,
        });
      }
    } catch (e) {
      for (const recipient of enc.recipients) {
        keys.push({
          recipient,
          role: "current",
          label: `current (${enc.identity})`,
          identityRef: enc.identity,
          reachable: false,
          detail: `its identity cannot be read here: ${message(e)}`,
        });
      }
    }
  }
  for (const r of enc.recipients) {
    if (!keys.some((k) => k.recipient === r)) {
      keys.push({
        recipient: r,
        role: "current",
        label: `recipient ${r.slice(0, 12)}…`,
        identityRef: null,
        reachable: false,
        detail: "new backups are encrypted to it, but no identity for it is on record in this profile",
      });
    }
  }
  for (const r of enc.retired) {
    let identity: string | undefined;
    let detail = r.identity ? "" : "no identity on record: backups that need only this key cannot be opened";
    if (r.identity) {
      try {
        identity = (await ctx.resolveSecret(r.identity)).trim();
        detail =
          identityToRecipient(identity) === r.recipient
            ? `retired${r.retiredAt ? ` ${r.retiredAt}` : ""}; older backups need it`
            : `${r.identity} holds a different key than this retired recipient`;
        if (identityToRecipient(identity) !== r.recipient) identity = undefined;
      } catch (e) {
        detail = `retired; its identity cannot be read here: ${message(e)}`;
      }
    }
    keys.push({
      recipient: r.recipient,
      role: "retired",
      label: `retired ${r.recipient.slice(0, 12)}…${r.identity ? ` (${r.identity})` : ""}`,
      identityRef: r.identity ?? null,
      reachable: !!identity,
      detail,
      ...(identity ? { identity } : {}),
    });
  }
  for (const e of enc.escrow) {
    keys.push({
      recipient: e.recipient,
      role: "escrow",
      label: `escrow "${e.label}"`,
      identityRef: null,
      reachable: false,
      detail: "kept off this machine; prove it with `lifeboat keys drill --identity-file …`",
    });
  }
  return keys;
}

/** What the channel returns: the keys without their identities. */
export function publicKeys(keys: ReachableKey[]): KeyOnRecord[] {
  return keys.map(({ identity: _identity, ...k }) => k);
}

// Rotation and escrow: both change which recipients new backups are encrypted to, and both keep on record where every
// identity an older backup needs lives, so no backup ever depends on a key nobody can find.
import { open } from "node:fs/promises";
import type { Profile } from "../../shared/config.ts";
import { AGE_RECIPIENT } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { upsertProfile } from "../config/config-store.ts";
import { generateIdentity, identityToRecipient } from "../crypto/age-keys.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { getKeychainSecret, setKeychainSecret } from "../secrets/keychain.ts";

const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

/**
 * Makes a new identity in the keychain and makes it the profile's: new backups are encrypted to it (and the escrow
 * keys); the old recipient is recorded as retired with the reference to its identity, which stays where it was.
 */
export async function rotateKey(
  profile: Profile,
  configPath: string,
  ctx: Pick<EngineContext, "resolveSecret" | "journal">,
  opts: { name?: string; now?: Date } = {},
): Promise<{ recipient: string; identityRef: string; retired: string }> {
  const now = opts.now ?? new Date();
  const oldRef = profile.encryption.identity;
  if (!oldRef) {
    throw new LifeboatError(
      "IDENTITY_MISSING",
      `profile "${profile.name}" has no identity to rotate from`,
      "Generate one with `lifeboat keys generate` and set encryption.identity first.",
    );
  }
  const oldRecipient = identityToRecipient((await ctx.resolveSecret(oldRef)).trim());
  const name = opts.name ?? `lifeboat-age-identity-${stamp(now)}`;
  if (await getKeychainSecret(name)) {
    throw new LifeboatError(
      "USAGE",
      `keychain:${name} already holds a secret; it was left as it is`,
      "Choose another --name.",
    );
  }
  const { identity, recipient } = generateIdentity();
  await setKeychainSecret(name, identity);
  const identityRef = `keychain:${name}`;
  await upsertProfile(configPath, {
    ...profile,
    encryption: {
      ...profile.encryption,
      recipients: [...profile.encryption.recipients.filter((r) => r !== oldRecipient), recipient],
      identity: identityRef,
      retired: [
        ...profile.encryption.retired.filter((r) => r.recipient !== oldRecipient),
        { recipient: oldRecipient, identity: oldRef, retiredAt: now.toISOString() },
      ],
    },
  });
  await ctx.journal.append({
    kind: "keys.rotate",
    summary: `Key rotated for profile ${profile.name}: new backups to ${recipient.slice(0, 16)}…; ${oldRecipient.slice(0, 16)}… retired (its identity stays in ${oldRef})`,
    profile: profile.name,
    outcome: "ok",
    details: { recipient, identityRef, retired: oldRecipient, retiredIdentityRef: oldRef },
  });
  return { recipient, identityRef, retired: oldRecipient };
}

/**
 * Adds an escrow key. Given a recipient (made offline with age-keygen, the better way), it is recorded as it is.
 * Otherwise a key pair is made here, the identity written once to `out` (0600, which must not exist) to be printed
 * or put on a token and then deleted, and only the recipient is kept.
 */
export async function addEscrow(
  profile: Profile,
  configPath: string,
  ctx: Pick<EngineContext, "journal">,
  req: { label: string; recipient?: string; out?: string; now?: Date },
): Promise<{ recipient: string; label: string; identityFile: string | null }> {
  let recipient = req.recipient;
  let identityFile: string | null = null;
  if (recipient) {
    if (!AGE_RECIPIENT.test(recipient))
      throw new LifeboatError("USAGE", `"${recipient}" is not an age recipient (age1…)`);
  } else {
    if (!req.out) {
      throw new LifeboatError(
        "USAGE",
        "an escrow key made here needs a file to write its identity to once (--out FILE)",
        "Or make the key on an offline machine with `age-keygen` and pass its recipient (--recipient age1…).",
      );
    }
    const pair = generateIdentity();
    const file = await open(req.out, "wx", 0o600).catch((e: NodeJS.ErrnoException) => {
      throw new LifeboatError(
        "USAGE",
        e.code === "EEXIST"
          ? `${req.out} already exists; it was left as it is`
          : `cannot create ${req.out} (${e.code})`,
        "Give a new file name.",
      );
    });
    try {
      await file.writeFile(
        `# Lifeboat escrow identity for profile ${profile.name}: ${req.label}\n# recipient: ${pair.recipient}\n# Print it or put it on a token, keep it off this machine, then delete this file.\n${pair.identity}\n`,
      );
    } finally {
      await file.close();
    }
    recipient = pair.recipient;
    identityFile = req.out;
  }
  if (profile.encryption.escrow.some((e) => e.recipient === recipient)) {
    throw new LifeboatError("USAGE", `that escrow recipient is already on record for profile "${profile.name}"`);
  }
  await upsertProfile(configPath, {
    ...profile,
    encryption: {
      ...profile.encryption,
      escrow: [
        ...profile.encryption.escrow,
        { recipient, label: req.label, addedAt: (req.now ?? new Date()).toISOString() },
      ],
    },
  });
  await ctx.journal.append({
    kind: "keys.escrow",
    summary: `Escrow key "${req.label}" added to profile ${profile.name}: new backups are also encrypted to ${recipient.slice(0, 16)}…`,
    profile: profile.name,
    outcome: "ok",
    details: { recipient, label: req.label, generatedHere: !!identityFile },
  });
  return { recipient, label: req.label, identityFile };
}

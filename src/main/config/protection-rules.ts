import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";

// Rules across fields of a profile's retention, locks, replicas and attachments: each is a mistake the schema alone
// cannot see, refused when the config is read rather than discovered at 3 a.m.
function problems(p: Profile): string[] {
  const out: string[] = [];
  if (p.objectLock && !p.retention)
    out.push(
      'objectLock needs a retention policy: each backup is locked until its tier lets it go (add "retention": "clinical" or "gfs")',
    );
  if (p.objectLock && p.storage.kind === "folder")
    out.push(
      "objectLock is set but the storage is a folder, which cannot lock anything: use an S3 bucket with Object Lock",
    );
  const names = new Set<string>();
  for (const r of p.replicas) {
    if (names.has(r.name)) out.push(`two replicas are named "${r.name}"`);
    if (r.name === "primary") out.push('"primary" names the profile\'s own storage; give the replica another name');
    names.add(r.name);
    if (r.objectLock && r.storage.kind === "folder")
      out.push(`replica "${r.name}" sets objectLock but is a folder, which cannot lock anything`);
    if (r.objectLock && !(r.retention ?? p.retention))
      out.push(`replica "${r.name}" sets objectLock but neither it nor the profile has a retention policy`);
  }
  const sets = new Set<string>();
  for (const a of p.attachments) {
    if (sets.has(a.name)) out.push(`two attachment sets are named "${a.name}"`);
    sets.add(a.name);
  }
  const recipients = new Set(p.encryption.recipients);
  for (const e of p.encryption.escrow)
    if (recipients.has(e.recipient))
      out.push(`escrow recipient "${e.label}" is also in recipients: an escrow key is one kept off this machine`);
  return out;
}

export function assertProtectionRules(p: Profile, where: string): void {
  const found = problems(p);
  if (found.length === 0) return;
  throw new LifeboatError(
    "CONFIG_INVALID",
    `${where}: profile "${p.name}" ${found.length === 1 ? found[0] : `has ${found.length} problems:\n  - ${found.join("\n  - ")}`}.`,
    "Fix the profile's retention, objectLock, replicas, attachments or encryption section as described.",
    { problems: found },
  );
}

import type { Profile } from "../../shared/config.ts";

/** Everyone a new backup is encrypted to: the profile's recipients, then its escrow keys (kept off this machine). */
export function backupRecipients(profile: Profile): string[] {
  return [...new Set([...profile.encryption.recipients, ...profile.encryption.escrow.map((e) => e.recipient)])];
}

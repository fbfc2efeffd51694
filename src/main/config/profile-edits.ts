// Adding, replacing and removing profiles, and the journal record of each: one record for every face, so an
// auditor reads the same line whether the change came from the terminal or the console's settings screen.
import type { Profile, ProfileInput } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { Journal } from "../journal/journal.ts";
import { removeProfile, upsertProfile } from "./config-store.ts";

export async function saveProfile(configPath: string, input: ProfileInput, journal: Journal): Promise<Profile> {
  const saved = await upsertProfile(configPath, input);
  await journal.append({
    kind: "profile.save",
    profile: saved.name,
    summary: `Profile "${saved.name}" saved`,
    details: { configPath, host: saved.database.host, storage: saved.storage.kind },
    outcome: "ok",
  });
  return saved;
}

/** Its backups and keychain entries are left alone. A profile that is not there is an error, not a silent no-op. */
export async function deleteProfile(configPath: string, name: string, journal: Journal): Promise<{ removed: true }> {
  if (!(await removeProfile(configPath, name)))
    throw new LifeboatError("PROFILE_NOT_FOUND", `no profile "${name}"`, "List them with `lifeboat profile list`.");
  await journal.append({
    kind: "profile.remove",
    profile: name,
    summary: `Profile "${name}" removed`,
    details: { configPath },
    outcome: "ok",
  });
  return { removed: true };
}

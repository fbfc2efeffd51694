import { readFile } from "node:fs/promises";
import type { ConfigFile, Profile, ProfileInput } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { parseConfigText, validateConfig, validateProfile } from "./config-validate.ts";
import { writeFileAtomic } from "./write-file-atomic.ts";

/** A missing file is an empty config: the first run has none yet. */
export async function loadConfig(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return validateConfig({}, path);
    throw new LifeboatError(
      "CONFIG_INVALID",
      `Cannot read the config file ${path} (${code ?? String(e)}).`,
      "Check that the path is a file you can read, or pass another with --config.",
      {
        file: path,
      },
    );
  }
  return parseConfigText(text, path);
}

export async function saveConfig(path: string, cfg: ConfigFile): Promise<void> {
  const valid = validateConfig(cfg, path);
  await writeFileAtomic(path, `${JSON.stringify(valid, null, 2)}\n`, 0o600);
}

/** Adds the profile, or replaces the one with the same name. */
export async function upsertProfile(path: string, profile: ProfileInput): Promise<Profile> {
  const valid = validateProfile(profile, `The profile "${typeof profile?.name === "string" ? profile.name : "?"}"`);
  const cfg = await loadConfig(path);
  const at = cfg.profiles.findIndex((p) => p.name === valid.name);
  const profiles = at < 0 ? [...cfg.profiles, valid] : cfg.profiles.map((p, i) => (i === at ? valid : p));
  await saveConfig(path, { ...cfg, profiles });
  return valid;
}

/** False when there was no such profile. */
export async function removeProfile(path: string, name: string): Promise<boolean> {
  const cfg = await loadConfig(path);
  const profiles = cfg.profiles.filter((p) => p.name !== name);
  if (profiles.length === cfg.profiles.length) return false;
  await saveConfig(path, { ...cfg, profiles });
  return true;
}

/** The named profile; without a name, the only one there is. */
export function getProfile(cfg: ConfigFile, name?: string): Profile {
  const names = cfg.profiles.map((p) => p.name);
  if (name === undefined && names.length === 1) return cfg.profiles[0]!;
  const found = cfg.profiles.find((p) => p.name === name);
  if (found) return found;
  if (names.length === 0) {
    throw new LifeboatError(
      "PROFILE_NOT_FOUND",
      "No profile is configured yet.",
      "Add a profile to the config file, or point --config / LIFEBOAT_CONFIG at the right one.",
      {
        profiles: names,
      },
    );
  }
  const message =
    name === undefined
      ? "Several profiles are configured; say which one to use."
      : `There is no profile named "${name}".`;
  throw new LifeboatError(
    "PROFILE_NOT_FOUND",
    `${message} Profiles: ${names.join(", ")}.`,
    `Pass --profile with one of: ${names.join(", ")}.`,
    { profiles: names },
  );
}

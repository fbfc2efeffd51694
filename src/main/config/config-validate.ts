import type { z } from "zod";
import { ConfigFile, Profile, type ProfileInput } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { SECRET_REF_HELP } from "../../shared/secret-ref.ts";
import { redactText } from "../secrets/redact.ts";
import { findLiteralSecrets, formatPath, type PathSegment } from "./find-literal-secrets.ts";
import { findJsonSyntaxError } from "./json-syntax-error.ts";
import { assertProtectionRules } from "./protection-rules.ts";

/** Parses and validates the text of a config file. `where` names the file in messages. */
export function parseConfigText(text: string, where: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    const at = findJsonSyntaxError(text);
    const position = at ? ` at line ${at.line}, column ${at.column}: ${at.problem}` : "";
    throw new LifeboatError(
      "CONFIG_INVALID",
      `The config file ${where} is not valid JSON${position}.`,
      "Fix the file by hand, or move it aside to start from an empty config.",
      {
        file: where,
        ...(at ? { line: at.line, column: at.column } : {}),
      },
    );
  }
  return validateConfig(raw, where);
}

/** Validates a config object; literal secrets are refused before anything else is looked at. */
export function validateConfig(raw: unknown, where = "the config"): ConfigFile {
  refuseLiteralSecrets(raw, [], where);
  const parsed = ConfigFile.safeParse(raw);
  if (!parsed.success) throw schemaError(parsed.error, [], where);
  const seen = new Set<string>();
  for (const p of parsed.data.profiles) {
    if (seen.has(p.name)) {
      throw new LifeboatError(
        "CONFIG_INVALID",
        `${where} has two profiles named "${p.name}".`,
        "Profile names must be unique: rename or remove one of them.",
        { file: where },
      );
    }
    seen.add(p.name);
    assertProtectionRules(p, where);
  }
  return parsed.data;
}

export function validateProfile(raw: ProfileInput | unknown, where = "the profile"): Profile {
  refuseLiteralSecrets(raw, ["profile"], where);
  const parsed = Profile.safeParse(raw);
  if (!parsed.success) throw schemaError(parsed.error, ["profile"], where);
  assertProtectionRules(parsed.data, where);
  return parsed.data;
}

function profileName(raw: unknown, path: PathSegment[]): string | undefined {
  let node: unknown = raw;
  for (const seg of path.slice(0, 2))
    node = node && typeof node === "object" ? (node as Record<PathSegment, unknown>)[seg] : undefined;
  const name = node && typeof node === "object" ? (node as { name?: unknown }).name : undefined;
  return typeof name === "string" && /^[a-z0-9][a-z0-9_-]{0,62}$/.test(name) ? name : undefined;
}

function refuseLiteralSecrets(raw: unknown, prefix: PathSegment[], where: string): void {
  const found = findLiteralSecrets(raw, []);
  if (found.length === 0) return;
  const fields = found.map((f) => formatPath([...prefix, ...f.path]));
  const first = found[0]!;
  const profile = prefix.length ? profileName({ profile: raw }, ["profile"]) : profileName(raw, first.path);
  const field = String(first.path.findLast((s) => typeof s === "string") ?? "secret");
  const suggested = [profile, field.replace(/[^A-Za-z0-9_.@/-]/g, "-")].filter(Boolean).join("-");
  throw new LifeboatError(
    "CONFIG_LITERAL_SECRET",
    `${where} holds a secret value in ${fields.join(", ")} (${[...new Set(found.map((f) => f.why))].join("; ")}). ` +
      "Config files get copied, synced and pasted into tickets, so they may only point at secrets.",
    `${SECRET_REF_HELP} For example: run \`lifeboat secret set ${suggested}\`, then write "keychain:${suggested}" in place of the value.`,
    { fields },
  );
}

function schemaError(error: z.ZodError, prefix: PathSegment[], where: string): LifeboatError {
  const issues = error.issues.map(
    (i) => `${formatPath([...prefix, ...(i.path as PathSegment[])])}: ${redactText(i.message)}`,
  );
  return new LifeboatError(
    "CONFIG_INVALID",
    `${where} is invalid:\n  - ${issues.join("\n  - ")}`,
    "Fix the fields listed above.",
    { issues },
  );
}

import { randomBytes, randomInt, randomUUID } from "node:crypto";

// Neon's identifiers look like "shiny-wind-028834", "br-aged-salad-637688" and "ep-little-smoke-851426". neonctl tells
// a branch id from a branch name by that shape (br- + three dash-separated words), so the sandbox keeps to it.
const ADJECTIVES = [
  "calm",
  "steady",
  "quiet",
  "brave",
  "bright",
  "gentle",
  "patient",
  "swift",
  "careful",
  "silent",
  "sturdy",
  "amber",
  "misty",
  "frosty",
  "sunny",
  "hidden",
];
const NOUNS = [
  "harbor",
  "lantern",
  "anchor",
  "beacon",
  "tide",
  "reef",
  "compass",
  "keel",
  "cove",
  "buoy",
  "mast",
  "shore",
  "lighthouse",
  "current",
  "dune",
  "inlet",
];
const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function pick(words: string[]): string {
  return words[randomInt(words.length)] as string;
}

function suffix(length: number, alphabet = ALNUM): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export function newProjectId(): string {
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${suffix(8, "0123456789")}`;
}

export function newBranchId(): string {
  return `br-${pick(ADJECTIVES)}-${pick(NOUNS)}-${suffix(8)}`;
}

export function newEndpointId(): string {
  return `ep-${pick(ADJECTIVES)}-${pick(NOUNS)}-${suffix(8)}`;
}

export function newOperationId(): string {
  return randomUUID();
}

export function newDatabaseId(): number {
  return randomInt(100_000, 10_000_000);
}

/** The path-parameter pattern of every id in Neon's API. */
export const NEON_ID = /^[a-z0-9-]{1,60}$/;

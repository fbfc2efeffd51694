// The operator-facing failures of reading an age object, worded once so every path says the same thing.
import { LifeboatError } from "../../shared/errors.ts";

export function corruptObject(what: string): LifeboatError {
  return new LifeboatError(
    "OBJECT_CORRUPT",
    `The encrypted backup object is damaged: ${what}.`,
    "Nothing from the damaged part was used. Restore from another backup, and check the store for damaged or rewritten objects.",
  );
}

export function truncatedObject(what: string): LifeboatError {
  return new LifeboatError(
    "OBJECT_TRUNCATED",
    `The encrypted backup object is cut short: ${what}.`,
    "The object is incomplete (an interrupted upload or download). Download it again; if it stays short, restore from another backup.",
  );
}

export function wrongIdentity(): LifeboatError {
  return new LifeboatError(
    "IDENTITY_WRONG",
    "None of the given age identities can open this backup.",
    "This backup was not encrypted to the key you gave; use the identity whose recipient is in the backup's manifest (encryption.recipients). Which keys a file was encrypted to cannot be read from the file itself.",
  );
}

export function missingIdentity(): LifeboatError {
  return new LifeboatError(
    "IDENTITY_MISSING",
    "No age identity was given, so the backup cannot be decrypted.",
    "Give the private key (AGE-SECRET-KEY-1…) whose recipient is in the backup's manifest, e.g. from the keychain or a key file made by age-keygen.",
  );
}

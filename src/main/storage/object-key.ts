import { LifeboatError } from "../../shared/errors.ts";

// Keys are "/"-separated paths relative to a store's root. Both stores normalize them the same way so that a backup
// written to S3 and one copied to a folder have identical keys, and "." / ".." are refused so a folder store can
// never be made to write outside its folder.

function segments(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

/** The normalized segments of an object key: no empty, "." or ".." segments, at least one segment. */
export function keySegments(key: string): string[] {
  const parts = segments(key);
  if (parts.length === 0 || parts.some((s) => s === "." || s === "..") || key.includes("\0")) {
    throw new LifeboatError(
      "INTERNAL",
      `"${key}" is not a valid object key`,
      "object keys are relative paths such as backups/2024-01-01/db.dump",
    );
  }
  return parts;
}

/** `${prefix}/${key}` with no leading, trailing or doubled slashes. */
export function joinKey(prefix: string, key: string): string {
  return [...segments(prefix), ...keySegments(key)].join("/");
}

/**
 * A listing prefix under the store prefix. A listing prefix matches keys by string prefix, like S3's, so a trailing
 * slash is kept ("backups/" must not match "backups-old/x"), and the store prefix always ends in one ("lb" must
 * not match "lb2/x").
 */
export function joinListPrefix(prefix: string, listPrefix: string): string {
  const root = segments(prefix).join("/");
  const rest =
    segments(listPrefix).join("/") + (listPrefix.endsWith("/") && segments(listPrefix).length > 0 ? "/" : "");
  if (!root) return rest;
  return `${root}/${rest}`;
}

/** The key relative to the store root, given the full key. */
export function stripPrefix(prefix: string, fullKey: string): string {
  const root = segments(prefix).join("/");
  return root && fullKey.startsWith(`${root}/`) ? fullKey.slice(root.length + 1) : fullKey;
}

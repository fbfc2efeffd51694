import { LifeboatError } from "../../../shared/errors.ts";
import { rememberSecret } from "../../secrets/redact.ts";

/** Reads an age identity file named on the command line (the path is on argv; the key never is). */
export async function restoreIdentityFile(
  path: string | undefined,
  read: (p: string, enc: "utf8") => Promise<string>,
): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    const text = await read(path, "utf8");
    for (const line of text.split(/\r?\n/)) rememberSecret(line.trim());
    return text;
  } catch {
    throw new LifeboatError(
      "IDENTITY_MISSING",
      `cannot read the identity file ${path}`,
      "Check the path and that your user may read it.",
    );
  }
}

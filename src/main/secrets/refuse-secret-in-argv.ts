import { LifeboatError } from "../../shared/errors.ts";
import { looksLikeSecretRef } from "../../shared/secret-ref.ts";
import { rememberSecret } from "./redact.ts";

// Flags whose value would be a secret. A reference (keychain:/env:) in them is fine: it names the secret.
const SECRET_FLAG =
  /^--?(value|password|passwd|pass|pw|secret|token|passphrase|api-?key|private-?key|secret-access-key|access-key-secret)$/i;
// Options of `secret set` (and the global ones) that take a value, so that value is not counted as a positional.
const VALUE_FLAGS = new Set(["--config", "-c", "--profile", "-p"]);
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

export const SECRET_FROM_ARGV_MESSAGE =
  "Secret values are never taken from the command line: argv is visible to every user in `ps` and lands in shell history.";
export const SECRET_FROM_ARGV_HINT = 'Pipe it: printf %s "$X" | lifeboat secret set NAME, or type it at the prompt.';

function refuse(value: string, where: string): never {
  // Whatever else prints argv (a usage error, a crash report) is scrubbed of it from now on.
  rememberSecret(value);
  throw new LifeboatError("SECRET_FROM_ARGV", SECRET_FROM_ARGV_MESSAGE, SECRET_FROM_ARGV_HINT, { where });
}

/**
 * Throws SECRET_FROM_ARGV when the arguments carry a secret value: `secret set NAME VALUE`, `secret set NAME=VALUE`,
 * `--password x` / `--value=x` and the like, or a connection URL with a password in it. Accepts process.argv or a
 * slice of it.
 */
export function refuseSecretInArgv(argv: string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("-") && eq > 0 ? arg.slice(0, eq) : arg;
    if (SECRET_FLAG.test(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
      if (value !== undefined && value !== "" && !looksLikeSecretRef(value)) refuse(value, `the ${flag} option`);
    }
  }
  for (const arg of argv) if (URL_WITH_PASSWORD.test(arg)) refuse(arg, "a connection URL with a password");

  const secretAt = argv.indexOf("secret");
  if (secretAt < 0 || argv[secretAt + 1] !== "set") return;
  const positionals: string[] = [];
  let afterDashDash = false;
  for (let i = secretAt + 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!afterDashDash && arg === "--") afterDashDash = true;
    else if (!afterDashDash && VALUE_FLAGS.has(arg)) i++;
    else if (afterDashDash || !arg.startsWith("-")) positionals.push(arg);
  }
  const [name, ...rest] = positionals;
  if (name?.includes("=")) refuse(name.slice(name.indexOf("=") + 1), "NAME=VALUE after `secret set`");
  if (rest.length > 0) refuse(rest.join(" "), "a value after `secret set NAME`");
}

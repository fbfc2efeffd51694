import { AsyncEntry, type EntryOptions } from "@napi-rs/keyring";
import type { KeychainStatus } from "../../shared/api/channels/profile-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { KEYCHAIN_NAME } from "../../shared/secret-ref.ts";
import { redactText, rememberSecret } from "./redact.ts";

/** Every entry lives under this service; the entry name is the account (libsecret attribute `username`). */
export const KEYCHAIN_SERVICE = "lifeboat";

// Left to itself, the binding falls back to the kernel keyring on Linux when no Secret Service answers, and it makes
// that choice once per process. A secret stored there is gone after a reboot, which is exactly when a DR tool is
// needed, so entries are pinned to the Secret Service and its absence becomes an error we can explain.
const ENTRY_OPTIONS: EntryOptions = { linux: { store: "secret-service" } };

// Only ever read, never written: a lookup that finds nothing proves the store answers without touching it.
const PROBE_ACCOUNT = "lifeboat-keychain-probe";

const HEADLESS_ADVICE = "Start your desktop keyring, or use env: references for headless runs.";

function errorText(e: unknown): string {
  return redactText(e instanceof Error ? e.message : String(e));
}

async function probe(options?: EntryOptions): Promise<string | null> {
  try {
    await new AsyncEntry(KEYCHAIN_SERVICE, PROBE_ACCOUNT, options).getPassword();
    return null;
  } catch (e) {
    return errorText(e);
  }
}

// Asked once per process: the binding's first kernel-keyring call sets up a session keyring, and in some containers
// every later call is then denied, so a second probe would contradict the first.
let keyutilsProbe: Promise<string | null> | undefined;

export async function keychainStatus(): Promise<KeychainStatus> {
  if (process.platform === "darwin" || process.platform === "win32") {
    const backend = process.platform === "darwin" ? "macos-keychain" : "windows-credential-manager";
    const failure = await probe();
    if (failure === null) return { available: true, backend, persistent: true };
    return { available: false, backend, persistent: true, message: `The OS keychain did not answer: ${failure}` };
  }

  const ssFailure = await probe(ENTRY_OPTIONS);
  if (ssFailure === null) return { available: true, backend: "secret-service", persistent: true };

  // libdbus reads DBUS_SESSION_BUS_ADDRESS once per process, so this reflects the bus this process will ever use.
  const why = process.env.DBUS_SESSION_BUS_ADDRESS
    ? `No Secret Service (gnome-keyring / KeePassXC) is reachable on D-Bus (${ssFailure}).`
    : "No Secret Service (gnome-keyring / KeePassXC) is reachable on D-Bus: DBUS_SESSION_BUS_ADDRESS is not set.";
  keyutilsProbe ??= probe({ linux: { store: "keyutils" } });
  const keyutilsFailure = await keyutilsProbe;
  if (keyutilsFailure === null) {
    return {
      available: false,
      backend: "keyutils",
      persistent: false,
      message: `${why} Secrets would be kept in the kernel keyring and lost at reboot, so Lifeboat does not store them there. ${HEADLESS_ADVICE}`,
    };
  }
  return {
    available: false,
    backend: "none",
    persistent: false,
    message: `${why} The kernel keyring fallback is not usable either (${keyutilsFailure}), and it would lose secrets at reboot anyway. ${HEADLESS_ADVICE}`,
  };
}

function checkName(name: string): void {
  // The name is not echoed: a mistyped command can put a secret where the name belongs.
  if (!KEYCHAIN_NAME.test(name)) {
    throw new LifeboatError(
      "USAGE",
      "Keychain entry names use 1 to 128 letters, digits and _ . @ / - only.",
      'For example: "clinic-db-password".',
    );
  }
}

async function withEntry<T>(
  action: `${string} {ref} ${string}`,
  name: string,
  op: (entry: AsyncEntry) => Promise<T>,
): Promise<T> {
  checkName(name);
  try {
    return await op(new AsyncEntry(KEYCHAIN_SERVICE, name, ENTRY_OPTIONS));
  } catch (e) {
    const reason = errorText(e);
    const status = await keychainStatus();
    const hint = !status.available
      ? status.message
      : /prompt was dismissed|locked/i.test(reason)
        ? "The keychain is locked. Unlock it (log in to the desktop session, or unlock the login keyring in Seahorse / KeePassXC) and retry."
        : `Check that your keychain is unlocked and answering. ${HEADLESS_ADVICE}`;
    // When the store is missing altogether the hint already carries the low-level reason; say it once.
    const what = action.replace("{ref}", `"keychain:${name}"`);
    const message = `Could not ${what} the OS keychain: ${status.available ? reason : "no usable keychain is running"}.`;
    throw new LifeboatError("KEYCHAIN_UNAVAILABLE", message, hint, { backend: status.backend }, { cause: e });
  }
}

/** The stored value, or null when the keychain has no such entry. */
export async function getKeychainSecret(name: string): Promise<string | null> {
  const value = await withEntry("read {ref} from", name, (entry) => entry.getPassword());
  rememberSecret(value);
  return value;
}

export async function setKeychainSecret(name: string, value: string): Promise<void> {
  if (value.length === 0)
    throw new LifeboatError("USAGE", "Refusing to store an empty secret.", "Give the value on stdin or at the prompt.");
  rememberSecret(value);
  await withEntry("store {ref} in", name, (entry) => entry.setPassword(value));
}

/** True when an entry was deleted, false when there was none. */
export async function deleteKeychainSecret(name: string): Promise<boolean> {
  return withEntry("delete {ref} from", name, (entry) => entry.deleteCredential());
}

// Runs in a child process: libdbus reads DBUS_SESSION_BUS_ADDRESS once per process, so a test of "which bus" needs
// a fresh process. The value to store comes in through the environment, never argv.
import { getKeychainSecret, keychainStatus, setKeychainSecret } from "../../../src/main/secrets/keychain.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";

const name = process.argv[2]!;
const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ ok: true, value }),
    (e: unknown) =>
      isLifeboatError(e)
        ? { ok: false, code: e.code, message: e.message, hint: e.hint }
        : { ok: false, message: String(e) },
  );

const status = await keychainStatus();
const set = await outcome(setKeychainSecret(name, process.env.LIFEBOAT_TEST_VALUE ?? ""));
const get = await outcome(getKeychainSecret(name));
console.log(JSON.stringify({ status, set, get }));

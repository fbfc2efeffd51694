import { test } from "node:test";
import assert from "node:assert/strict";
import { registrationsFor } from "../../../src/main/cli/main.ts";

test("only the module of the command being run is loaded; help loads every command", async () => {
  assert.equal((await registrationsFor(["--config", "x.json", "backups", "--json"])).length, 1);
  assert.equal((await registrationsFor(["--version"])).length, 0);
  const all = await registrationsFor(["--help"]);
  assert.ok(all.length >= 14, `every command module registers for help (${all.length})`);
  assert.equal(
    (await registrationsFor(["nonsense"])).length,
    all.length,
    "an unknown command gets the full list for its error",
  );
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chooseShell, electronBinary } from "../../../src/main/console/launch-desktop.ts";

test("electronBinary gives an existing path or nothing, never a broken one", () => {
  const b = electronBinary();
  assert.ok(b === undefined || existsSync(b));
});

test("the console opens the desktop app where Electron is installed, the browser otherwise or when asked", () => {
  assert.deepEqual(chooseShell({ binary: "/opt/electron" }), { kind: "desktop", binary: "/opt/electron" });
  assert.deepEqual(chooseShell({ binary: "/opt/electron", browser: true }), { kind: "browser" });
  const fallback = chooseShell({ binary: undefined });
  assert.equal(fallback.kind, "browser");
  assert.match(fallback.kind === "browser" ? (fallback.reason ?? "") : "", /Electron is not installed/);
});

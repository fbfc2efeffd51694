// The folder boundaries are lint rules (eslint.config.js); these prove each rule fires where it should and stays quiet
// where it should, by linting small sources as if they sat at a path in the tree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ESLint } from "eslint";

const eslint = new ESLint();

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

test("the renderer may import neither Node (either spelling), electron nor anything from src/main", async () => {
  const file = "src/renderer/src/screens/journal/probe.ts";
  for (const source of [
    'import { readFile } from "node:fs/promises";',
    'import { join } from "path";',
    'import { readFile } from "fs/promises";',
    'import { ipcRenderer } from "electron";',
    'import { VERSION } from "../../../../main/version.ts";',
    'export { VERSION } from "../../../../main/version.ts";',
    'import type { JournalRecord } from "../../../../main/journal/record.ts";',
  ]) {
    assert.equal((await restricted(file, `${source}\nexport const x = 1;\n`)).length, 1, source);
  }
});

test("the renderer may import the contract, its own files and browser libraries", async () => {
  const source = [
    'import { z } from "zod";',
    'import { useState } from "react";',
    'import { CHANNELS } from "../../../../shared/api/channels.ts";',
    'import { formatBytes } from "../../lib/format.ts";',
    "export const x = [z, useState, CHANNELS, formatBytes];",
  ].join("\n");
  assert.deepEqual(await restricted("src/renderer/src/screens/journal/probe.ts", source), []);
});

test("src/shared imports neither Node, electron, React, src/main nor src/renderer", async () => {
  const file = "src/shared/api/probe.ts";
  for (const source of [
    'import { createHash } from "node:crypto";',
    'import { EventEmitter } from "events";',
    'import { app } from "electron";',
    'import { useState } from "react";',
    'import { VERSION } from "../../main/version.ts";',
    'import { App } from "../../renderer/src/app.tsx";',
  ]) {
    assert.equal((await restricted(file, `${source}\nexport const x = 1;\n`)).length, 1, source);
  }
  assert.deepEqual(await restricted(file, 'import { z } from "zod";\nexport const x = z;\n'), []);
});

test("only src/main/electron imports electron, and no part of src/main imports the renderer", async () => {
  assert.equal(
    (await restricted("src/main/backup/probe.ts", 'import { app } from "electron";\nexport { app };')).length,
    1,
  );
  assert.deepEqual(
    await restricted("src/main/electron/probe.ts", 'import { app } from "electron";\nexport { app };'),
    [],
  );
  for (const file of ["src/main/backup/probe.ts", "src/main/electron/probe.ts"]) {
    const source = 'import { App } from "../../renderer/src/app.tsx";\nexport { App };';
    assert.equal((await restricted(file, source)).length, 1, file);
  }
  assert.deepEqual(
    await restricted("src/main/backup/probe.ts", 'import { readFile } from "node:fs";\nexport { readFile };'),
    [],
  );
});

test("no face imports another face, and the engine imports no face; the console launcher composes them", async () => {
  const cases: [string, string][] = [
    ["src/main/cli/commands/probe.ts", "../../browser-host/start-browser-host.ts"],
    ["src/main/cli/commands/probe.ts", "../../electron/ipc.ts"],
    ["src/main/browser-host/probe.ts", "../cli/main.ts"],
    ["src/main/browser-host/probe.ts", "../electron/ipc.ts"],
    ["src/main/electron/probe.ts", "../browser-host/console-server.ts"],
    ["src/main/electron/probe.ts", "../cli/output.ts"],
    ["src/main/backup/probe.ts", "../cli/output.ts"],
    ["src/main/api/handlers/probe.ts", "../../browser-host/console-server.ts"],
    ["src/main/console/probe.ts", "../cli/output.ts"],
  ];
  for (const [file, path] of cases) {
    const found = await restricted(file, `import * as m from "${path}";\nexport { m };`);
    assert.equal(found.length, 1, `${file} -> ${path}`);
  }
  for (const [file, path] of [
    ["src/main/cli/commands/probe.ts", "../../session/open-session.ts"],
    ["src/main/browser-host/probe.ts", "../api/router.ts"],
    ["src/main/console/probe.ts", "../browser-host/start-browser-host.ts"],
    ["src/main/console/probe.ts", "../electron/build/bundle-electron.ts"],
  ] as const)
    assert.deepEqual(await restricted(file, `import * as m from "${path}";\nexport { m };`), [], `${file} -> ${path}`);
  assert.equal(
    (await restricted("src/main/console/probe.ts", 'import { app } from "electron";\nexport { app };')).length,
    1,
    "the launcher spawns the desktop app; it does not import electron",
  );
});

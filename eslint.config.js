import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

// Node's modules under both spellings ("fs", "fs/promises", "node:fs"), for the folders that must not reach Node.
const NODE_MODULE = `^(node:.*|(${builtinModules.filter((m) => !m.startsWith("_")).join("|")})(/.*)?)$`;
/** A relative import that climbs out of its folder into one of these top-level folders of src. */
const into = (...folders) => `^(\\./)?(\\.\\./)+(${folders.join("|")})/`;

const FACES = ["cli", "browser-host", "electron"];

/** The imports restricted in a part of src/main: the console (src/renderer), the faces named, and electron unless allowed. */
function mainRule(files, faces, noElectron) {
  const ignores = files[0] === "src/main/**/*.ts" ? [...FACES, "console"].map((f) => `src/main/${f}/**`) : [];
  return {
    files,
    ...(ignores.length ? { ignores } : {}),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...(noElectron
            ? {
                paths: [
                  {
                    name: "electron",
                    message: "Only src/main/electron may import electron; the engine is plain Node.",
                  },
                ],
              }
            : {}),
          patterns: [
            { regex: into("renderer"), message: "src/main does not import the console (src/renderer)." },
            ...faces.map((f) => ({
              regex: `^(\\./)?(\\.\\./)+${f}/`,
              message: `No face imports another face, and the engine imports none: ${f} is reached through the router.`,
            })),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["node_modules", "dist", "release", "test-artifacts", "bench-results", "tmp-scratch"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  // Which folder may import what. One rule per folder (a later no-restricted-imports replaces an earlier one, it does
  // not add to it). The TypeScript projects (tsconfig.json) enforce the same for types: src/shared sees neither Node
  // nor the DOM, src/renderer no Node and no src/main files, src/main no DOM.
  // src/main: the engine, three faces over it (cli, browser-host, electron) and the console launcher that starts a face.
  // A face imports no other face, and the engine imports none: every face reaches the engine through the router.
  mainRule(["src/main/**/*.ts"], FACES, true),
  ...FACES.map((face) =>
    mainRule(
      [`src/main/${face}/**/*.ts`],
      FACES.filter((f) => f !== face),
      face !== "electron",
    ),
  ),
  // The launcher of `lifeboat console` starts the browser host or the desktop app: it is where faces are composed.
  mainRule(["src/main/console/**/*.ts"], ["cli"], true),
  {
    // The contract is shared by Node and the DOM, so it imports neither, nor either side's code.
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `${NODE_MODULE}|^(electron|react|react-dom)(/.*)?$`,
              message: "src/shared imports neither Node, electron nor React: it is the contract both sides share.",
            },
            { regex: into("main", "renderer"), message: "src/shared imports nothing from src/main or src/renderer." },
          ],
        },
      ],
    },
  },
  {
    // The console runs in a browser (or a sandboxed Electron window): no Node, no engine code, no electron. It reaches
    // the engine only through the bridge (src/shared/api/bridge.ts).
    files: ["src/renderer/src/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: NODE_MODULE, message: "The console runs in a browser: no Node modules in src/renderer." },
            { regex: "^electron(/.*)?$", message: "The console reaches Electron only through the preload's bridge." },
            {
              regex: into("main"),
              message: "The console reaches the engine only through the bridge (src/shared/api), never src/main.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read the CLI's --json output and error objects as loosely typed data.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);

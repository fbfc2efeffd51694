import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

// Node's modules under both spellings ("fs", "fs/promises", "node:fs"), for the folders that must not reach Node.
const NODE_MODULE = `^(node:.*|(${builtinModules.filter((m) => !m.startsWith("_")).join("|")})(/.*)?)$`;
/** A relative import that climbs out of its folder into one of these top-level folders of src. */
const into = (...folders) => `^(\\./)?(\\.\\./)+(${folders.join("|")})/`;

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
  {
    // The engine is plain Node: only the Electron shell may import electron; the console is not the engine's.
    files: ["src/main/**/*.ts"],
    ignores: ["src/main/electron/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "electron", message: "Only src/main/electron may import electron; the engine is plain Node." },
          ],
          patterns: [{ regex: into("renderer"), message: "src/main does not import the console (src/renderer)." }],
        },
      ],
    },
  },
  {
    files: ["src/main/electron/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: into("renderer"), message: "src/main does not import the console (src/renderer)." }] },
      ],
    },
  },
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

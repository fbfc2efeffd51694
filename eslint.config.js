import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

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
  {
    // The engine is plain Node: only the Electron shell may import electron.
    files: ["src/main/**/*.ts", "src/shared/**/*.ts"],
    ignores: ["src/main/electron/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "electron", message: "Only src/main/electron may import electron; the engine is plain Node." },
          ],
        },
      ],
    },
  },
  {
    // The contract is shared by Node and the DOM, so it imports neither.
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*", "electron", "react"], message: "src/shared imports neither Node, electron nor React." },
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
  {
    files: ["src/renderer/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
);

#!/usr/bin/env node
// One command: typecheck (`tsc -b`: every TypeScript project, see tsconfig.json), lint, format check, then every test
// under test/ with node's test runner (through tsx).
// Node 20's --test takes no globs, so the files are collected here.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const filters = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--only");

function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "bench" || name === "harness" ? [] : collect(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function run(cmd, argv, env = process.env) {
  console.log(`\n$ ${cmd} ${argv.join(" ")}`.slice(0, 400));
  const r = spawnSync(cmd, argv, { stdio: "inherit", env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!only && filters.length === 0) {
  run("node_modules/.bin/tsc", ["-b"]);
  run("node_modules/.bin/eslint", ["."]);
  run("node_modules/.bin/prettier", ["--check", "--log-level", "warn", "."]);
}
let files = collect("test").sort();
if (only === "unit") files = files.filter((f) => !f.includes(".int.test.") && !f.includes(".e2e.test."));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files]);

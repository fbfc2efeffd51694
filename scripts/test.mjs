#!/usr/bin/env node
// One command: typecheck (`tsc -b`: every TypeScript project, see tsconfig.json), lint, format check, then every test
// under test/ with node's test runner (through tsx).
// Node 20's --test takes no globs, so the files are collected here.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const filters = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--only");
const wholeSuite = !only && filters.length === 0;

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

function runSuite() {
  if (wholeSuite) {
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
}

// A whole-suite run waits for any other whole-suite run on this machine: several checkouts of the project sharing a
// few cores only make each other's timeouts flaky. flock(1) is util-linux's; where it is missing, nothing waits.
function runSuiteAlone() {
  const lock = join(tmpdir(), "lifeboat-whole-suite.lock");
  const probe = spawnSync("flock", ["--nonblock", lock, "true"]);
  if (probe.error) return runSuite();
  if (probe.status !== 0) console.log(`waiting for another whole-suite run on this machine to finish (${lock})`);
  const child = spawn("flock", [lock, process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, LIFEBOAT_TEST_LOCK_HELD: "1" },
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

if (wholeSuite && !process.env.LIFEBOAT_TEST_LOCK_HELD) runSuiteAlone();
else runSuite();

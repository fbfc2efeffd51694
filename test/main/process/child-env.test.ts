import { test } from "node:test";
import assert from "node:assert/strict";
import { leastEnv } from "../../../src/main/process/child-env.ts";
import { pgEnv } from "../../../src/main/postgres/conn-info.ts";

const POISONED: NodeJS.ProcessEnv = {
  PATH: "/usr/bin",
  HOME: "/home/op",
  LANG: "C.UTF-8",
  LC_MESSAGES: "C",
  TMPDIR: "/var/tmp",
  AWS_SECRET_ACCESS_KEY: "aws-secret",
  LIFEBOAT_AGE_IDENTITY: "AGE-SECRET-KEY-1XYZ",
  NEON_API_KEY: "neon-key",
  PGPASSWORD: "operator-own-password",
  PGHOST: "operator-own-host",
  SSH_AUTH_SOCK: "/tmp/agent",
};

test("a child's environment holds what programs need and nothing of Lifeboat's secrets", () => {
  const env = leastEnv(POISONED);
  assert.deepEqual(Object.keys(env).sort(), ["HOME", "LANG", "LC_MESSAGES", "PATH", "TMPDIR"]);
});

test("names and prefixes a caller asks for pass; nothing else does", () => {
  const env = leastEnv(POISONED, ["PG*", "NEON_API_KEY"]);
  assert.equal(env.PGPASSWORD, "operator-own-password");
  assert.equal(env.NEON_API_KEY, "neon-key");
  assert.equal(env.AWS_SECRET_ACCESS_KEY, undefined);
  assert.equal(env.SSH_AUTH_SOCK, undefined);
});

test("pg tools get the connection and none of the operator's own PG* variables or other secrets", () => {
  const env = pgEnv(
    { host: "db", port: 5433, database: "clinic", user: "u", password: "pw", sslmode: "require" },
    POISONED,
  );
  assert.equal(env.PGHOST, "db");
  assert.equal(env.PGPORT, "5433");
  assert.equal(env.PGPASSWORD, "pw");
  assert.equal(env.PGSSLMODE, "require");
  for (const leaked of ["AWS_SECRET_ACCESS_KEY", "LIFEBOAT_AGE_IDENTITY", "NEON_API_KEY", "SSH_AUTH_SOCK"])
    assert.equal(env[leaked], undefined, leaked);
  assert.equal(env.PATH, "/usr/bin");
});

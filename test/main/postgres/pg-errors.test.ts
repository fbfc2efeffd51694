import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { toLifeboatError } from "../../../src/main/postgres/pg-errors.ts";

const conn = {
  host: "ep-x.us-east-2.aws.neon.tech",
  port: 5432,
  database: "neondb",
  user: "app",
  password: "hunter2-secret",
  sslmode: "require" as const,
};

function sysErr(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

test("network failures of every shape are PG_UNREACHABLE with the Neon hint", () => {
  const cases = [
    sysErr("ENOTFOUND", "getaddrinfo ENOTFOUND ep-x.us-east-2.aws.neon.tech"),
    sysErr("ETIMEDOUT"),
    sysErr("EHOSTUNREACH"),
    new Error("Connection terminated due to connection timeout"),
    Object.assign(new AggregateError([sysErr("ECONNREFUSED")], "")),
  ];
  for (const err of cases) {
    const e = toLifeboatError(err, conn);
    assert.equal(e.code, "PG_UNREACHABLE", err.message);
    assert.match(e.message, /ep-x\.us-east-2\.aws\.neon\.tech:5432/);
    assert.match(e.hint ?? "", /Neon compute may be suspended/);
  }
});

test("server errors keep their meaning; a statement timeout is not mistaken for a network failure", () => {
  const timeout = Object.assign(new pg.DatabaseError("canceling statement due to statement timeout", 0, "error"), {
    code: "57014",
  });
  assert.equal(toLifeboatError(timeout, conn).code, "PG_ERROR");
  const noDb = Object.assign(new pg.DatabaseError('database "neondb" does not exist', 0, "error"), { code: "3D000" });
  assert.equal(
    toLifeboatError(noDb, conn).message,
    'database "neondb" does not exist at ep-x.us-east-2.aws.neon.tech:5432',
  );
  const auth = Object.assign(new pg.DatabaseError('password authentication failed for user "app"', 0, "error"), {
    code: "28P01",
  });
  assert.equal(toLifeboatError(auth, conn).code, "PG_AUTH");
});

test("a password echoed in any message is removed", () => {
  const e = toLifeboatError(
    new Error("proxy said: bad url postgres://app:hunter2-secret@host/db and hunter2-secret"),
    conn,
    "run a query",
  );
  assert.ok(!JSON.stringify(e.toInfo()).includes("hunter2-secret"), e.message);
  assert.equal(e.code, "PG_ERROR");
});

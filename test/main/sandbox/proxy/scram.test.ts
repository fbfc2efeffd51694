// SCRAM-SHA-256 both ways, with and without channel binding. Interoperability with libpq (psql, channel_binding=require)
// and node-postgres is proven through the proxy in neon-proxy.int.test.ts; here, the refusals.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import {
  SCRAM,
  SCRAM_PLUS,
  ScramClient,
  ScramServer,
  serverEndPoint,
} from "../../../../src/main/sandbox/proxy/scram.ts";

const cbind = serverEndPoint(randomBytes(300));

test("a client with the password is let in, and checks the server's signature", () => {
  const server = new ScramServer("pässword ", SCRAM, cbind);
  const client = new ScramClient("pässword ");
  const final = server.final(client.final(server.first(client.first())));
  assert.doesNotThrow(() => client.verify(final));
  assert.throws(() => new ScramClient("pässword ").verify(final), /signature does not match/);
});

test("a wrong password is refused", () => {
  const server = new ScramServer("right", SCRAM, cbind);
  const client = new ScramClient("wrong");
  const first = server.first(client.first());
  assert.throws(() => server.final(client.final(first)), /password authentication failed/);
});

test("channel binding: PLUS needs p=tls-server-end-point and the right certificate hash; 'y' over TLS is a downgrade", () => {
  assert.throws(() => new ScramServer("pw", SCRAM_PLUS, cbind).first("n,,n=*,r=abc"), /negotiation error/);
  assert.throws(() => new ScramServer("pw", SCRAM, cbind).first("y,,n=*,r=abc"), /negotiation error/);
  const server = new ScramServer("pw", SCRAM_PLUS, cbind);
  const sf = server.first("p=tls-server-end-point,,n=*,r=abc");
  const nonce = /r=([^,]+)/.exec(sf)![1];
  const wrong = Buffer.concat([Buffer.from("p=tls-server-end-point,,"), serverEndPoint(randomBytes(10))]);
  assert.throws(() => server.final(`c=${wrong.toString("base64")},r=${nonce},p=AAAA`), /channel binding check failed/);
});

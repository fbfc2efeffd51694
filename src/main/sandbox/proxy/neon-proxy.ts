// The sandbox's connection proxy, doing what Neon's does: one TLS port for every compute; the endpoint is named by the
// host name the client connected to (SNI: ep-….localhost, or ep-…-pooler.localhost for the pooler) or, for clients
// without SNI, by `options=endpoint=<id>` (Neon's documented fallback); the client's password is checked here with
// SCRAM-SHA-256, channel binding included; an idle compute is woken; then the bytes flow to the compute's Postgres or
// to its PgBouncer. Neon's own error texts are used where they are known.
import { createServer, connect as tcpConnect, type Server, type Socket } from "node:net";
import { X509Certificate, createHash, randomBytes } from "node:crypto";
import { TLSSocket, createSecureContext, type SecureContext } from "node:tls";
import type { Duplex } from "node:stream";
import {
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  PROTOCOL_3,
  SSL_REQUEST,
  PacketReader,
  authSasl,
  authSaslContinue,
  authSaslFinal,
  errorResponse,
  errorText,
  message,
  parseSaslInitial,
  saslInitial,
  saslResponse,
  startupMessage,
  startupParams,
} from "./pg-wire.ts";
import { listenLocal } from "../listen-local.ts";
import { SCRAM, SCRAM_PLUS, ScramClient, ScramServer, serverEndPoint } from "./scram.ts";

/** What the proxy needs to know about the project behind it. */
export interface ProxyBackend {
  /** The endpoint `id` names, or undefined. */
  lookup(id: string): { role: string; password: string } | undefined;
  /** Wakes the compute if it is idle; its Postgres port, or an Error whose message the client is shown. */
  computePort(id: string): Promise<number>;
  /** The port of the endpoint's PgBouncer (started as needed). */
  poolerPort(id: string, computePort: number): Promise<number>;
}

export const NO_ENDPOINT =
  "Endpoint ID is not specified. Either please upgrade the postgres client library (libpq) for SNI support or pass the endpoint ID (first part of the domain name) as a parameter: '?options=endpoint%3D<endpoint-id>'. See more at https://neon.tech/sni";

class ClientError extends Error {
  constructor(
    message: string,
    readonly code = "08000",
  ) {
    super(message);
  }
}

/** The endpoint named by SNI or by the endpoint option, and the options without it (they go on to Postgres). */
export function routeOf(
  servername: string | undefined,
  options: string | undefined,
): { name: string; options: string } {
  const sni = servername && /^([a-z0-9-]+)\.localhost$/i.exec(servername)?.[1];
  const words = (options ?? "").split(/\s+/).filter(Boolean);
  const opt = words.find((w) => /^(endpoint|project)=/.test(w))?.split("=")[1];
  const rest = words.filter((w) => !/^(endpoint|project)=/.test(w)).join(" ");
  if (sni && opt && sni !== opt)
    throw new ClientError(`Inconsistent project name inferred from SNI ('${sni}') and project option ('${opt}').`);
  const name = sni || opt;
  if (!name) throw new ClientError(NO_ENDPOINT);
  return { name, options: rest };
}

function md5Password(password: string, user: string, salt: Buffer): string {
  const inner = createHash("md5")
    .update(password + user)
    .digest("hex");
  return (
    "md5" +
    createHash("md5")
      .update(Buffer.concat([Buffer.from(inner), salt]))
      .digest("hex")
  );
}

function passwordMessage(s: string): Buffer {
  return message("p", Buffer.from(`${s}\0`));
}

export interface NeonProxy {
  port: number;
  close(): Promise<void>;
}

export async function startNeonProxy(
  backend: ProxyBackend,
  opts: { cert: Buffer; key: Buffer; port?: number; portIsPreference?: boolean },
): Promise<NeonProxy> {
  const context: SecureContext = createSecureContext({ cert: opts.cert, key: opts.key, minVersion: "TLSv1.2" });
  const cancels = new Map<string, number>();
  const sockets = new Set<Duplex>();

  async function cancel(body: Buffer): Promise<void> {
    const port = cancels.get(body.subarray(4, 12).toString("hex"));
    if (!port) return;
    const s = tcpConnect(port, "127.0.0.1");
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    body.copy(packet, 4, 0, 12);
    s.on("error", () => {});
    s.end(packet);
  }

  async function serve(raw: Socket): Promise<void> {
    let reader = new PacketReader(raw);
    let client: Duplex = raw;
    let servername: string | undefined;
    let body = await reader.packet();
    for (let code = body.readInt32BE(0); code !== PROTOCOL_3; code = body.readInt32BE(0)) {
      if (code === CANCEL_REQUEST) return cancel(body.subarray(4));
      if (code === GSSENC_REQUEST) {
        raw.write("N");
      } else if (code === SSL_REQUEST && client === raw) {
        reader.detach();
        raw.write("S");
        const tls = new TLSSocket(raw, { isServer: true, secureContext: context });
        sockets.add(tls);
        await new Promise<void>((resolve, reject) => {
          tls.once("secure", resolve);
          tls.once("error", reject);
        });
        servername = typeof tls.servername === "string" ? tls.servername : undefined;
        client = tls;
        reader = new PacketReader(tls);
      } else {
        throw new ClientError(`unsupported startup request ${code}`);
      }
      body = await reader.packet();
    }
    const send = (b: Buffer) => client.write(b);
    try {
      if (client === raw) throw new ClientError("connection is insecure (try using `sslmode=require`)", "28000");
      const params = startupParams(body);
      const route = routeOf(servername, params.get("options"));
      const pooled = route.name.endsWith("-pooler");
      const id = pooled ? route.name.slice(0, -"-pooler".length) : route.name;
      const ep = backend.lookup(id);
      if (!ep) throw new ClientError(`endpoint ${id} not found`, "XX000");
      const user = params.get("user") ?? "";

      // The client's password, checked here: Neon's proxy authenticates before it wakes anything.
      const cbind = serverEndPoint(certDer);
      send(authSasl([SCRAM_PLUS, SCRAM]));
      const first = await reader.message();
      if (first.type !== "p") throw new ClientError("expected a SASL response", "08P01");
      const init = parseSaslInitial(first.body);
      if (init.mechanism !== SCRAM && init.mechanism !== SCRAM_PLUS)
        throw new ClientError(`unsupported SASL mechanism ${init.mechanism}`, "28000");
      // Another user gets the same exchange and the same failure, with a password nobody has.
      const password = user === ep.role ? ep.password : randomBytes(24).toString("hex");
      const scram = new ScramServer(password, init.mechanism, cbind);
      let serverFinal: string;
      try {
        send(authSaslContinue(scram.first(init.data)));
        const fin = await reader.message();
        serverFinal = scram.final(fin.body.toString());
      } catch (e) {
        const why = (e as Error).message;
        throw new ClientError(
          /password/.test(why) ? `password authentication failed for user "${user}"` : why,
          /password/.test(why) ? "28P01" : "28000",
        );
      }
      send(authSaslFinal(serverFinal));

      let computePort: number;
      try {
        computePort = await backend.computePort(id);
      } catch (e) {
        throw new ClientError(`Couldn't connect to compute node: ${(e as Error).message}`, "08001");
      }
      const port = pooled ? await backend.poolerPort(id, computePort) : computePort;
      const server = tcpConnect(port, "127.0.0.1");
      sockets.add(server);
      await new Promise<void>((resolve, reject) => {
        server.once("connect", resolve);
        server.once("error", reject);
      });
      const up = new PacketReader(server);
      const forward = new Map(params);
      if (route.options) forward.set("options", route.options);
      else forward.delete("options");
      server.write(startupMessage(forward));
      const login = new ScramClient(ep.password);
      for (;;) {
        const m = await up.message();
        if (m.type === "E") throw new ClientError(errorText(m.body), "XX000");
        if (m.type !== "R") throw new ClientError(`unexpected message ${m.type} from the compute`, "08P01");
        const kind = m.body.readInt32BE(0);
        if (kind === 0) {
          send(message("R", m.body));
          break;
        }
        if (kind === 10) server.write(saslInitial(SCRAM, login.first()));
        else if (kind === 11) server.write(saslResponse(login.final(m.body.subarray(4).toString())));
        else if (kind === 12) login.verify(m.body.subarray(4).toString());
        else if (kind === 3) server.write(passwordMessage(ep.password));
        else if (kind === 5) server.write(passwordMessage(md5Password(ep.password, user, m.body.subarray(4, 8))));
        else throw new ClientError(`unsupported authentication request ${kind} from the compute`, "08P01");
      }
      // Up to ReadyForQuery the proxy reads along, to learn the cancel key; then it only passes bytes.
      for (;;) {
        const m = await up.message();
        if (m.type === "K") cancels.set(m.body.subarray(0, 8).toString("hex"), port);
        send(message(m.type, m.body));
        if (m.type === "Z" || m.type === "E") break;
      }
      const fromClient = reader.detach();
      const fromServer = up.detach();
      if (fromServer.length) client.write(fromServer);
      if (fromClient.length) server.write(fromClient);
      client.pipe(server);
      server.pipe(client);
      const end = () => {
        client.destroy();
        server.destroy();
      };
      client.once("close", end);
      server.once("close", end);
      client.on("error", end);
      server.on("error", end);
    } catch (e) {
      const err = e instanceof ClientError ? e : new ClientError((e as Error).message, "XX000");
      client.end(errorResponse(err.message, err.code));
    }
  }

  const certDer = new X509Certificate(opts.cert).raw;
  const server: Server = createServer((raw) => {
    sockets.add(raw);
    raw.on("close", () => sockets.delete(raw));
    raw.on("error", () => {});
    serve(raw).catch(() => raw.destroy());
  });
  const port = await listenLocal(server, opts.port, opts.portIsPreference);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

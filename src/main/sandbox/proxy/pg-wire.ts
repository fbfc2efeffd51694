// Just enough of the PostgreSQL frontend/backend protocol (version 3.0) for a proxy that answers the startup itself
// and then passes bytes through: reading the length-prefixed startup packets and typed messages, and writing the few
// messages the proxy sends (authentication requests, errors, the startup to a backend).
import type { Duplex } from "node:stream";

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const PROTOCOL_3 = 196608;

export class WireError extends Error {}

/** Reads whole packets from a stream, keeping what arrived beyond them for whoever reads next. */
export class PacketReader {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended: Error | undefined;
  private readonly onData = (c: Buffer) => {
    this.buf = Buffer.concat([this.buf, c]);
    this.waiter?.();
  };
  private readonly onEnd = (e?: Error) => {
    this.ended = e instanceof Error ? e : new WireError("the connection closed");
    this.waiter?.();
  };

  constructor(private readonly stream: Duplex) {
    stream.on("data", this.onData);
    stream.on("end", this.onEnd);
    stream.on("close", this.onEnd);
    stream.on("error", this.onEnd);
  }

  private async need(n: number): Promise<void> {
    while (this.buf.length < n) {
      if (this.ended) throw this.ended;
      await new Promise<void>((r) => (this.waiter = r));
      this.waiter = undefined;
    }
  }

  private take(n: number): Buffer {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** A startup-phase packet (no type byte): its body after the length. */
  async packet(max = 10_000): Promise<Buffer> {
    await this.need(4);
    const len = this.buf.readInt32BE(0);
    if (len < 8 || len > max) throw new WireError(`invalid startup packet length ${len}`);
    await this.need(len);
    return this.take(len).subarray(4);
  }

  /** The next byte without taking it (0x16 starts a TLS handshake, PostgreSQL 17's direct SSL). */
  async peek(): Promise<number> {
    await this.need(1);
    return this.buf[0]!;
  }

  async message(max = 1 << 20): Promise<{ type: string; body: Buffer }> {
    await this.need(5);
    const type = String.fromCharCode(this.buf[0]!);
    const len = this.buf.readInt32BE(1);
    if (len < 4 || len > max) throw new WireError(`invalid message length ${len}`);
    await this.need(len + 1);
    const m = this.take(len + 1);
    return { type, body: m.subarray(5) };
  }

  /** Stops reading; returns what was read but not taken. */
  detach(): Buffer {
    this.stream.off("data", this.onData);
    this.stream.off("end", this.onEnd);
    this.stream.off("close", this.onEnd);
    this.stream.off("error", this.onEnd);
    const rest = this.buf;
    this.buf = Buffer.alloc(0);
    return rest;
  }
}

/** The key/value pairs of a StartupMessage body (after the protocol version). */
export function startupParams(body: Buffer): Map<string, string> {
  const params = new Map<string, string>();
  const parts = body.subarray(4).toString("utf8").split("\0");
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params.set(parts[i]!, parts[i + 1]!);
  return params;
}

export function startupMessage(params: Map<string, string>): Buffer {
  const pairs = [...params].flatMap(([k, v]) => [k, v]).join("\0") + "\0\0";
  const body = Buffer.from(pairs, "utf8");
  const out = Buffer.alloc(8 + body.length);
  out.writeInt32BE(8 + body.length, 0);
  out.writeInt32BE(PROTOCOL_3, 4);
  body.copy(out, 8);
  return out;
}

export function message(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, "latin1");
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
};
const cstr = (s: string) => Buffer.from(`${s}\0`, "utf8");

export const authOk = () => message("R", int32(0));
export const authSasl = (mechanisms: string[]) =>
  message("R", Buffer.concat([int32(10), ...mechanisms.map(cstr), Buffer.from([0])]));
export const authSaslContinue = (data: string) => message("R", Buffer.concat([int32(11), Buffer.from(data)]));
export const authSaslFinal = (data: string) => message("R", Buffer.concat([int32(12), Buffer.from(data)]));

/** SASLInitialResponse: mechanism, then the data (length-prefixed). */
export function saslInitial(mechanism: string, data: string): Buffer {
  const d = Buffer.from(data);
  return message("p", Buffer.concat([cstr(mechanism), int32(d.length), d]));
}

export const saslResponse = (data: string) => message("p", Buffer.from(data));

export function parseSaslInitial(body: Buffer): { mechanism: string; data: string } {
  const nul = body.indexOf(0);
  if (nul < 0 || body.length < nul + 5) throw new WireError("malformed SASLInitialResponse");
  const len = body.readInt32BE(nul + 1);
  return {
    mechanism: body.subarray(0, nul).toString(),
    data: body.subarray(nul + 5, nul + 5 + Math.max(0, len)).toString(),
  };
}

/** An ErrorResponse: severity FATAL (or ERROR), SQLSTATE, message. */
export function errorResponse(message_: string, code = "08000", severity = "FATAL"): Buffer {
  return message(
    "E",
    Buffer.concat([
      Buffer.from("S"),
      cstr(severity),
      Buffer.from("V"),
      cstr(severity),
      Buffer.from("C"),
      cstr(code),
      Buffer.from("M"),
      cstr(message_),
      Buffer.from([0]),
    ]),
  );
}

/** The M field of an ErrorResponse body. */
export function errorText(body: Buffer): string {
  for (const field of body.toString("utf8").split("\0")) if (field.startsWith("M")) return field.slice(1);
  return "unknown error";
}

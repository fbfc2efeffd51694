// SCRAM-SHA-256 (RFC 5802, RFC 7677) with tls-server-end-point channel binding (RFC 5929), both sides, as the
// PostgreSQL wire protocol carries it. Hand-written because no npm package offers the server side for Postgres; the
// client side here is the same arithmetic, used by the sandbox's proxy to log in to a compute after it has checked the
// client itself, as Neon's proxy does (which is why neonctl's `channel_binding=require` strings work through it).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

export const SCRAM = "SCRAM-SHA-256";
export const SCRAM_PLUS = "SCRAM-SHA-256-PLUS";
const ITERATIONS = 4096;

const hmac = (key: Buffer, data: string | Buffer) => createHmac("sha256", key).update(data).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();
const xor = (a: Buffer, b: Buffer) => Buffer.from(a.map((x, i) => x ^ (b[i] ?? 0)));

/** RFC 4013 SASLprep, as far as it changes bytes (what PostgreSQL and libpq apply to the password). */
export function saslprep(password: string): string {
  return (
    password
      .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, " ")
      // RFC 3454 table B.1 ("mapped to nothing"): joiners and variation selectors, which is what the rule warns about.
      // eslint-disable-next-line no-misleading-character-class
      .replace(/[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g, "")
      .normalize("NFKC")
  );
}

function keys(password: string, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(saslprep(password), salt, iterations, 32, "sha256");
  const clientKey = hmac(salted, "Client Key");
  return { clientKey, storedKey: sha256(clientKey), serverKey: hmac(salted, "Server Key") };
}

function attrs(msg: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of msg.split(",")) {
    const i = part.indexOf("=");
    if (i > 0) m.set(part.slice(0, i), part.slice(i + 1));
  }
  return m;
}

/** tls-server-end-point: the hash of the server certificate (SHA-256 for SHA-256 and SHA-1 signed certificates). */
export function serverEndPoint(certDer: Buffer): Buffer {
  return sha256(certDer);
}

export class ScramError extends Error {}

/** The server side of one exchange: first() takes client-first, final() checks client-final. */
export class ScramServer {
  private clientFirstBare = "";
  private serverFirst = "";
  private gs2 = "";
  private readonly salt = randomBytes(16);
  private readonly k: ReturnType<typeof keys>;

  /** `channelBinding`: the certificate's end-point hash when the connection is TLS, else undefined. */
  constructor(
    password: string,
    private readonly mechanism: string,
    private readonly channelBinding: Buffer | undefined,
  ) {
    this.k = keys(password, this.salt, ITERATIONS);
  }

  first(clientFirst: string): string {
    const m = /^((p=[^,]+|y|n),[^,]*,)(.*)$/.exec(clientFirst);
    if (!m) throw new ScramError("malformed SCRAM message");
    this.gs2 = m[1]!;
    const flag = m[2]!;
    if (this.mechanism === SCRAM_PLUS && flag !== "p=tls-server-end-point")
      throw new ScramError("SCRAM channel binding negotiation error");
    if (this.mechanism === SCRAM && flag.startsWith("p="))
      throw new ScramError("channel binding is not supported for " + SCRAM);
    // "y": the client can bind but thinks the server cannot; over TLS the server can, so this is a downgrade.
    if (flag === "y" && this.channelBinding) throw new ScramError("SCRAM channel binding negotiation error");
    this.clientFirstBare = m[3]!;
    const nonce = attrs(this.clientFirstBare).get("r");
    if (!nonce) throw new ScramError("malformed SCRAM message: no nonce");
    this.serverFirst = `r=${nonce}${randomBytes(18).toString("base64")},s=${this.salt.toString("base64")},i=${ITERATIONS}`;
    return this.serverFirst;
  }

  /** Checks the proof; returns server-final ("v=…"). */
  final(clientFinal: string): string {
    const i = clientFinal.lastIndexOf(",p=");
    if (i < 0) throw new ScramError("malformed SCRAM message: no proof");
    const withoutProof = clientFinal.slice(0, i);
    const a = attrs(withoutProof);
    const expectedC = Buffer.concat([
      Buffer.from(this.gs2),
      this.gs2.startsWith("p=") ? (this.channelBinding ?? Buffer.alloc(0)) : Buffer.alloc(0),
    ]).toString("base64");
    if (a.get("c") !== expectedC) throw new ScramError("SCRAM channel binding check failed");
    if (a.get("r") !== attrs(this.serverFirst).get("r")) throw new ScramError("invalid SCRAM response: nonce mismatch");
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const proof = Buffer.from(clientFinal.slice(i + 3), "base64");
    const clientKey = xor(proof, hmac(this.k.storedKey, authMessage));
    if (proof.length !== 32 || !timingSafeEqual(sha256(clientKey), this.k.storedKey))
      throw new ScramError("password authentication failed");
    return `v=${hmac(this.k.serverKey, authMessage).toString("base64")}`;
  }
}

/** The client side, without channel binding (the proxy talks to a compute over loopback). */
export class ScramClient {
  private readonly nonce = randomBytes(18).toString("base64");
  private clientFirstBare = "";
  private expectedServerSignature: Buffer | undefined;

  constructor(private readonly password: string) {}

  first(): string {
    this.clientFirstBare = `n=*,r=${this.nonce}`;
    return `n,,${this.clientFirstBare}`;
  }

  final(serverFirst: string): string {
    const a = attrs(serverFirst);
    const r = a.get("r");
    const salt = a.get("s");
    const iterations = Number(a.get("i"));
    if (!r?.startsWith(this.nonce) || !salt || !Number.isInteger(iterations) || iterations < 1 || iterations > 1e6)
      throw new ScramError("unexpected SCRAM server-first message");
    const k = keys(this.password, Buffer.from(salt, "base64"), iterations);
    const withoutProof = `c=${Buffer.from("n,,").toString("base64")},r=${r}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    this.expectedServerSignature = hmac(k.serverKey, authMessage);
    return `${withoutProof},p=${xor(k.clientKey, hmac(k.storedKey, authMessage)).toString("base64")}`;
  }

  verify(serverFinal: string): void {
    const v = Buffer.from(attrs(serverFinal).get("v") ?? "", "base64");
    const want = this.expectedServerSignature;
    if (!want || v.length !== want.length || !timingSafeEqual(v, want))
      throw new ScramError("the server's SCRAM signature does not match");
  }
}

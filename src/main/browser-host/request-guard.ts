// Who may talk to the browser host. It listens on loopback only, but any web page the operator has open can still send
// requests to 127.0.0.1 (CSRF), and a hostile DNS name can be re-pointed at 127.0.0.1 (DNS rebinding). So: the Host
// header must name the loopback address and our port, a present Origin must be ours, and every API call must carry
// the session token, compared in constant time.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { TOKEN_HEADER } from "../../shared/api/bridge.ts";

export type GuardFailure = { status: 401 | 403 | 421; message: string };

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function checkHost(req: IncomingMessage, port: number): GuardFailure | undefined {
  const host = (req.headers.host ?? "").toLowerCase();
  if (!allowedHosts(port).includes(host))
    return { status: 421, message: "This Lifeboat console answers only to 127.0.0.1 and localhost." };
  return undefined;
}

export function checkOrigin(req: IncomingMessage, port: number): GuardFailure | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`)) {
    return { status: 403, message: "Requests from other sites are refused." };
  }
  // Browsers that send Fetch Metadata say outright when a request comes from another site.
  if (req.headers["sec-fetch-site"] === "cross-site")
    return { status: 403, message: "Requests from other sites are refused." };
  return undefined;
}

export function checkToken(req: IncomingMessage, token: string): GuardFailure | undefined {
  const given = req.headers[TOKEN_HEADER];
  const a = Buffer.from(typeof given === "string" ? given : "");
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    return { status: 401, message: "Missing or wrong session token." };
  return undefined;
}

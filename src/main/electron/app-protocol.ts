import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { SECURITY_HEADERS } from "../console-assets/content-security-policy.ts";
import { resolveStatic } from "../console-assets/static-files.ts";
import { APP_HOST, APP_SCHEME, type ElectronApi } from "./electron-api.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".ico": "image/x-icon",
};

/** Must run before the app is ready: app:// behaves like https (a real origin, fetch allowed, secure context). */
export function registerAppScheme(protocol: ElectronApi["protocol"]): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** A response for an app:// request: a file of the built renderer, never anything outside it. */
export async function appResponse(rendererDir: string, url: string): Promise<Response> {
  const u = new URL(url);
  const file =
    u.host === APP_HOST ? resolveStatic(rendererDir, u.pathname === "/" ? "/index.html" : u.pathname) : undefined;
  const body = file ? await readFile(file).catch(() => undefined) : undefined;
  if (!file || !body) return new Response("Not found", { status: 404, headers: SECURITY_HEADERS });
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { ...SECURITY_HEADERS, "content-type": TYPES[extname(file)] ?? "application/octet-stream" },
  });
}

export function serveAppProtocol(protocol: ElectronApi["protocol"], rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url));
}

export const rendererDirOf = (appPath: string): string => join(appPath, "dist", "renderer");

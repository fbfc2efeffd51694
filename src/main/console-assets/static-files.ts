import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** The file under `root` that a URL path names, or undefined when it would escape `root`. */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const rel = normalize(decoded).replace(/^([/\\])+/, "");
  const file = join(root, rel);
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/** Serves the built renderer; paths without an extension fall back to index.html (the app routes itself). */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
  headers: Record<string, string>,
  head = false,
): Promise<void> {
  let file = resolveStatic(root, urlPath === "/" ? "/index.html" : urlPath);
  let info = file ? await stat(file).catch(() => undefined) : undefined;
  if ((!info || info.isDirectory()) && file && !extname(file)) {
    file = join(root, "index.html");
    info = await stat(file).catch(() => undefined);
  }
  if (!file || !info || !info.isFile()) {
    res.writeHead(404, { ...headers, "content-type": "text/plain; charset=utf-8" }).end("Not found");
    return;
  }
  const isHtml = extname(file) === ".html";
  res.writeHead(200, {
    ...headers,
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": String(info.size),
    // Hashed asset names may be cached; the page itself is always fetched fresh so a rebuild shows up.
    "cache-control": isHtml ? "no-store" : "private, max-age=3600",
  });
  if (head) return void res.end();
  createReadStream(file).pipe(res);
}

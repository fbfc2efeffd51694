import type { ServerResponse } from "node:http";
import type { ProgressEvent } from "../../shared/api/bridge.ts";

/** Server-Sent Events to every open console tab: progress of long operations. */
export class ProgressStream {
  private clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    // A comment line now and then keeps proxies and idle timers from closing a quiet stream.
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), heartbeatMs);
    this.heartbeat.unref();
  }

  attach(res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    res.write(": connected\n\n");
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }

  send(event: ProgressEvent): void {
    this.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const c of this.clients) c.write(text);
  }
}

// Buffered writes to a stream that respect backpressure, so exports of any size run in bounded memory.
import { once } from "node:events";
import type { Writable } from "node:stream";

export class TextSink {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(private readonly out: Writable, private readonly chunk = 256 * 1024) {}

  async write(s: string): Promise<void> {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.chunk) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.parts.length) return;
    const text = this.parts.join("");
    this.parts = [];
    this.size = 0;
    const buf = Buffer.from(text, "utf8");
    this.bytes += buf.length;
    if (!this.out.write(buf)) await once(this.out, "drain");
  }
}

// Buffered writes to a stream that respect backpressure, so exports of any size run in bounded memory.
import { once } from "node:events";
import { createReadStream } from "node:fs";
import type { Writable } from "node:stream";

export class TextSink {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunk = 256 * 1024,
  ) {}

  async write(s: string): Promise<void> {
    if (this.push(s)) await this.flush();
  }

  get full(): boolean {
    return this.size >= this.chunk;
  }

  /** Adds text without awaiting; returns true when the caller should `await flush()` (hot loops). */
  push(s: string): boolean {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= this.chunk;
  }

  /** Copies a file's bytes into the output, after what was written so far (bounded reads). */
  async copyFile(path: string): Promise<void> {
    await this.flush();
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      this.bytes += (chunk as Buffer).length;
      if (!this.out.write(chunk)) await once(this.out, "drain");
    }
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

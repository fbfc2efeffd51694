import { Transform, type TransformCallback } from "node:stream";

/**
 * A pass-through that keeps a copy of the first `limit` bytes, so the age header can be checked while the object is
 * already streaming. `prefix` resolves once that many bytes (or the whole stream, if shorter) went by, and rejects if
 * the stream fails first.
 */
export class HeaderPeek extends Transform {
  readonly prefix: Promise<Buffer>;
  private readonly chunks: Buffer[] = [];
  private seen = 0;
  private settle!: { resolve: (b: Buffer) => void; reject: (e: Error) => void };
  private settled = false;

  constructor(private readonly limit: number) {
    super();
    this.prefix = new Promise<Buffer>((resolve, reject) => (this.settle = { resolve, reject }));
    this.prefix.catch(() => undefined); // a caller that never asks must not see an unhandled rejection
    this.once("error", (e) => this.finish(e));
    this.once("close", () => this.finish(new Error("the stream closed before its first bytes arrived")));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.settled) {
      this.chunks.push(chunk);
      this.seen += chunk.length;
      if (this.seen >= this.limit) this.finish();
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.finish();
    cb();
  }

  private finish(err?: Error): void {
    if (this.settled) return;
    this.settled = true;
    if (err) return this.settle.reject(err);
    this.settle.resolve(Buffer.concat(this.chunks).subarray(0, this.limit));
    this.chunks.length = 0;
  }
}

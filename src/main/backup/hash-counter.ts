import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** Passes bytes through while counting them and hashing them, so the stored object's sha256 costs no second read. */
export class HashCounter extends Transform {
  bytes = 0;
  private readonly hash;
  private digest: string | undefined;
  private readonly beforeEnd: (() => Promise<void>) | undefined;
  private readonly onBytes: ((total: number) => void) | undefined;

  /** beforeEnd runs before the stream ends: an error there fails the stream, so an upload never completes. */
  constructor(opts: { beforeEnd?: () => Promise<void>; onBytes?: (n: number) => void; hash?: boolean } = {}) {
    super();
    this.hash = opts.hash === false ? null : createHash("sha256");
    this.beforeEnd = opts.beforeEnd;
    // Counted in _transform, not with a "data" listener: that would start the flow before a consumer is attached.
    this.onBytes = opts.onBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    this.onBytes?.(this.bytes);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    // Every byte has passed: the digest is final, and beforeEnd may read it (to refuse to end on a mismatch).
    this.digest = this.hash?.digest("hex");
    if (!this.beforeEnd) return cb();
    this.beforeEnd().then(
      () => cb(),
      (e: unknown) => cb(e as Error),
    );
  }

  sha256(): string {
    if (!this.digest) throw new Error("sha256 read before the stream ended");
    return this.digest;
  }
}

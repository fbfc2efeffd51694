import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type PutObjectCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";

export interface PartUploaderOptions {
  client: S3Client;
  bucket: string;
  key: string;
  /** Headers for the object itself (server-side encryption): sent on PutObject or CreateMultipartUpload. */
  objectParams: Pick<PutObjectCommandInput, "ServerSideEncryption" | "SSEKMSKeyId">;
  partSize: number;
  /** Parts in flight at once. Memory is (queueSize + 1) x partSize: those parts and the one being filled. */
  queueSize: number;
  /** Called after each part (or the single PutObject) is stored, with the bytes stored so far. */
  onProgress?: (bytes: number) => void;
  /** Aborts the requests in flight at once (a cancel, a frozen server elsewhere), instead of waiting for them. */
  signal?: AbortSignal;
}

/**
 * Streams a body of unknown length to S3: one PutObject when it fits in a part, else a multipart upload.
 *
 * Hand-written rather than lib-storage's Upload (used until this file existed) for one measured reason: Upload
 * concatenates every part's chunks into a freshly allocated buffer (Buffer.concat). On the 2-core machine the backup
 * is benchmarked on, pg_dump, zstd, the encryption and the S3 server already share the CPU, and that copy plus
 * collecting the dead part buffers cost about 2 s of CPU per 258 MB object (CPU profile of `lifeboat backup`).
 * Here the part buffers are allocated once and reused; each byte is copied once, into its place.
 *
 * It does not abort a multipart upload it could not finish: the caller does (it decides which error to report), with
 * `uploadId`. Parts still in flight when it fails are awaited first, so none lands after the abort.
 */
export class PartUploader {
  /** Set once a multipart upload exists. */
  uploadId: string | undefined;
  private readonly free: Buffer[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly parts: CompletedPart[] = [];
  private failure: { error: unknown } | undefined;
  private stored = 0;

  constructor(private readonly o: PartUploaderOptions) {}

  /** Uploads everything `body` yields; resolves with the byte count once the object exists in full. */
  async upload(body: AsyncIterable<Buffer>): Promise<number> {
    let current = this.takeBuffer();
    let filled = 0;
    let partNumber = 0;
    let bytes = 0;
    try {
      for await (const chunk of body) {
        bytes += chunk.length;
        let offset = 0;
        while (offset < chunk.length) {
          // A full part is sent only when more data follows it, so an object of exactly one part is one PutObject.
          if (filled === this.o.partSize) {
            await this.sendPart(++partNumber, current, filled);
            current = this.takeBuffer();
            filled = 0;
          }
          const n = chunk.copy(current, filled, offset);
          offset += n;
          filled += n;
        }
        this.throwIfFailed();
      }
      if (partNumber === 0) {
        await this.o.client.send(
          new PutObjectCommand({
            Bucket: this.o.bucket,
            Key: this.o.key,
            Body: current.subarray(0, filled),
            ...this.o.objectParams,
          }),
          this.sendOptions(),
        );
        this.o.onProgress?.(filled);
        return bytes;
      }
      await this.sendPart(++partNumber, current, filled);
      await Promise.all(this.inflight);
      this.throwIfFailed();
      this.parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
      await this.o.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.o.bucket,
          Key: this.o.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
        this.sendOptions(),
      );
      return bytes;
    } catch (e) {
      await Promise.allSettled(this.inflight);
      throw this.failure ? this.failure.error : e;
    }
  }

  private sendOptions(): { abortSignal?: AbortSignal } {
    return this.o.signal ? { abortSignal: this.o.signal } : {};
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** A buffer to fill: a freed one, else a new one. At most queueSize are in flight, so at most queueSize + 1 exist. */
  private takeBuffer(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.o.partSize);
  }

  /** Sends a part once fewer than queueSize are in flight; resolves when it is on its way, not when it is stored. */
  private async sendPart(partNumber: number, buffer: Buffer, length: number): Promise<void> {
    while (this.inflight.size >= this.o.queueSize) {
      await Promise.race(this.inflight);
      this.throwIfFailed();
    }
    if (!this.uploadId) {
      const created = await this.o.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.o.bucket, Key: this.o.key, ...this.o.objectParams }),
        this.sendOptions(),
      );
      this.uploadId = created.UploadId;
    }
    const sending = this.o.client
      .send(
        new UploadPartCommand({
          Bucket: this.o.bucket,
          Key: this.o.key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          Body: buffer.subarray(0, length),
        }),
        this.sendOptions(),
      )
      .then(
        (out) => {
          this.parts.push({ PartNumber: partNumber, ETag: out.ETag });
          this.stored += length;
          this.o.onProgress?.(this.stored);
        },
        (error: unknown) => void (this.failure ??= { error }),
      )
      .finally(() => {
        this.inflight.delete(sending);
        this.free.push(buffer);
      });
    this.inflight.add(sending);
  }
}

import { PassThrough, type Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandOutput,
  type PutObjectCommandInput,
} from "@aws-sdk/client-s3";
import { LifeboatError, isLifeboatError } from "../../shared/errors.ts";
import type { BackupStore, PutProgress, StoredObject } from "./backup-store.ts";
import { choosePartSize } from "./part-size.ts";
import { PartUploader } from "./s3-part-uploader.ts";
import { joinKey, joinListPrefix, stripPrefix } from "./object-key.ts";
import { mapS3Error, type S3ErrorContext } from "./s3-errors.ts";

export interface S3StoreOptions {
  bucket: string;
  prefix: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omitted: the SDK's default chain (AWS_* environment variables, ~/.aws, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  serverSideEncryption?: "AES256" | "aws:kms";
  sseKmsKeyId?: string;
  /** Parts uploaded in parallel; memory is about (queueSize + 1) x part size. Default 2. */
  queueSize?: number;
  /** ListObjectsV2 page size (S3's maximum is 1,000). Only tests lower it, to exercise pagination cheaply. */
  listPageSize?: number;
}

export interface S3Access {
  client: S3Client;
  bucket: string;
  endpoint: string | undefined;
  fullKey(key: string): string;
  listPrefix(prefix: string): string;
  relativeKey(fullKey: string): string;
  context(action: string, key?: string): S3ErrorContext;
}

/** The key the write check puts (and deletes again) under the prefix. */
export const WRITE_CHECK_KEY = ".lifeboat-write-check";

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The upload was aborted", "AbortError");
}

export class S3Store implements BackupStore {
  readonly description: string;
  private readonly client: S3Client;
  private readonly where: string;

  constructor(private readonly opts: S3StoreOptions) {
    const root = joinListPrefix(opts.prefix, "");
    this.description = `s3://${opts.bucket}/${root}${opts.endpoint ? ` at ${opts.endpoint}` : ""}`;
    this.where = opts.endpoint ?? `AWS region ${opts.region}`;
    this.client = new S3Client({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      forcePathStyle: opts.forcePathStyle ?? false,
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      // The SDK's default since 2025 adds CRC32 trailers (aws-chunked bodies) that S3-compatible servers such as
      // s3rver, MinIO versions and many NAS gateways reject. Integrity is checked end to end by the backup's own hash.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
      // Without timeouts a dead network hangs a backup forever. socketTimeout is idle time, so a slow link is fine.
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
    });
  }

  private key(key: string): string {
    return joinKey(this.opts.prefix, key);
  }

  /**
   * What the Object Lock, versioning and replica code needs beyond the generic store: the client, the bucket and the
   * mapping between store keys and bucket keys. Those speak S3 APIs a folder has no equivalent for.
   */
  get s3(): S3Access {
    return {
      client: this.client,
      bucket: this.opts.bucket,
      endpoint: this.opts.endpoint,
      fullKey: (key) => this.key(key),
      listPrefix: (prefix) => joinListPrefix(this.opts.prefix, prefix),
      relativeKey: (full) => stripPrefix(this.opts.prefix, full),
      context: (action, key) => this.ctx(action, key),
    };
  }

  private ctx(action: string, key?: string): S3ErrorContext {
    return { bucket: this.opts.bucket, where: this.where, action, ...(key !== undefined ? { key } : {}) };
  }

  private sse(): Pick<PutObjectCommandInput, "ServerSideEncryption" | "SSEKMSKeyId"> {
    if (!this.opts.serverSideEncryption) return {};
    return {
      ServerSideEncryption: this.opts.serverSideEncryption,
      ...(this.opts.serverSideEncryption === "aws:kms" && this.opts.sseKmsKeyId
        ? { SSEKMSKeyId: this.opts.sseKmsKeyId }
        : {}),
    };
  }

  async putStream(
    key: string,
    body: Readable,
    opts: { sizeHint?: number; onProgress?: (p: PutProgress) => void; signal?: AbortSignal } = {},
  ): Promise<{ bytes: number }> {
    const fullKey = this.key(key);
    const ctx = this.ctx(`uploading ${key}`, key);
    const { signal } = opts;
    if (signal?.aborted) {
      body.destroy();
      throw abortError(signal);
    }

    // The body goes through a pass-through that aborting (or the source failing) destroys with the reason: the
    // uploader then stops reading, waits for its in-flight parts, and the abort of the multipart upload below is
    // awaited before putStream settles. pipe() rather than pipeline(): when the uploader stops reading after an S3
    // failure it destroys the pass-through, and pipeline would report that as the source failing.
    let sourceError: unknown;
    const through = new PassThrough();
    const fail = (err: unknown) => {
      sourceError ??= err;
      through.destroy(sourceError as Error);
    };
    const onSourceError = (err: Error) => fail(err);
    const onAbort = () => fail(abortError(signal!));
    body.on("error", onSourceError);
    signal?.addEventListener("abort", onAbort, { once: true });
    body.pipe(through);

    const uploader = new PartUploader({
      client: this.client,
      bucket: this.opts.bucket,
      key: fullKey,
      objectParams: this.sse(),
      partSize: choosePartSize(opts.sizeHint),
      queueSize: this.opts.queueSize ?? 2,
      ...(opts.onProgress ? { onProgress: (bytes: number) => opts.onProgress!({ bytes }) } : {}),
    });

    try {
      return { bytes: await uploader.upload(through) };
    } catch (err) {
      const abortFailure = await this.abortMultipart(fullKey, uploader.uploadId);
      const cause = sourceError ?? err;
      if (sourceError !== undefined) {
        // The caller's stream failed (or the caller aborted): its error is the one that explains what happened.
        if (abortFailure && cause instanceof Error) Object.assign(cause, { multipartAbortFailed: abortFailure });
        throw cause;
      }
      const mapped = mapS3Error(err, ctx);
      if (!abortFailure) throw mapped;
      // An orphaned upload is billed until something removes it: say so, with the id needed to remove it.
      throw new LifeboatError(
        mapped.code,
        mapped.message,
        `${mapped.hint ?? ""} The unfinished multipart upload ${abortFailure.uploadId} could not be aborted; a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes such uploads.`.trim(),
        { ...mapped.details, multipartAbortFailed: abortFailure },
        { cause: mapped.cause },
      );
    } finally {
      signal?.removeEventListener("abort", onAbort);
      if (!through.destroyed) through.destroy();
      // Stops the producer (e.g. pg_dump) when the upload failed; a no-op after success, when body has ended.
      // onSourceError stays attached: a producer that fails after this must not become an uncaught 'error'.
      if (!body.readableEnded && !body.destroyed) body.destroy();
    }
  }

  /** Aborts a multipart upload; returns why that failed, or undefined when it worked or there was nothing to abort. */
  private async abortMultipart(
    fullKey: string,
    uploadId: string | undefined,
  ): Promise<{ uploadId: string; error: string } | undefined> {
    if (!uploadId) return undefined;
    try {
      await this.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.opts.bucket, Key: fullKey, UploadId: uploadId }),
      );
      return undefined;
    } catch (e) {
      if ((e as { name?: string }).name === "NoSuchUpload") return undefined;
      return { uploadId, error: mapS3Error(e, this.ctx(`aborting the upload of ${fullKey}`)).message };
    }
  }

  async putSmall(key: string, body: Buffer | string, contentType?: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.opts.bucket,
          Key: this.key(key),
          Body: body,
          ...(contentType ? { ContentType: contentType } : {}),
          ...this.sse(),
        }),
      );
    } catch (e) {
      throw mapS3Error(e, this.ctx(`writing ${key}`, key));
    }
  }

  async getStream(key: string, opts: { signal?: AbortSignal } = {}): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }),
        opts.signal ? { abortSignal: opts.signal } : {},
      );
      // In Node the SDK's Body is an http.IncomingMessage (a Readable) with helper methods mixed in.
      const stream = out.Body as Readable;
      if (opts.signal) {
        const signal = opts.signal;
        const onAbort = () => stream.destroy(abortError(signal));
        signal.addEventListener("abort", onAbort, { once: true });
        stream.once("close", () => signal.removeEventListener("abort", onAbort));
      }
      return stream;
    } catch (e) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      throw mapS3Error(e, this.ctx(`reading ${key}`, key));
    }
  }

  async getSmall(key: string): Promise<Buffer> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (e) {
      throw mapS3Error(e, this.ctx(`reading ${key}`, key));
    }
  }

  async head(key: string): Promise<{ bytes: number } | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
      return { bytes: out.ContentLength ?? 0 };
    } catch (e) {
      // HEAD responses have no body, so S3 can only say 404: a missing bucket also reads as "no such object" here.
      const name = (e as { name?: string }).name;
      if (name === "NotFound" || name === "NoSuchKey") return null;
      throw mapS3Error(e, this.ctx(`checking ${key}`));
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const listPrefix = joinListPrefix(this.opts.prefix, prefix);
    const out: StoredObject[] = [];
    let token: string | undefined;
    try {
      do {
        const page: ListObjectsV2CommandOutput = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.opts.bucket,
            ...(listPrefix ? { Prefix: listPrefix } : {}),
            ...(token ? { ContinuationToken: token } : {}),
            ...(this.opts.listPageSize ? { MaxKeys: this.opts.listPageSize } : {}),
          }),
        );
        for (const o of page.Contents ?? []) {
          if (!o.Key) continue;
          out.push({
            key: stripPrefix(this.opts.prefix, o.Key),
            bytes: o.Size ?? 0,
            lastModified: o.LastModified ?? new Date(0),
            ...(o.ETag ? { etag: o.ETag } : {}),
          });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (e) {
      throw mapS3Error(e, this.ctx(`listing ${listPrefix || "the bucket"}`));
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
    } catch (e) {
      throw mapS3Error(e, this.ctx(`deleting ${key}`));
    }
  }

  /**
   * Lists one key (the bucket exists, the credentials are valid and may list) and writes a tiny object (they may
   * write), so a read-only key is caught before an hour-long dump rather than after it. The object is deleted again
   * when the key may delete; backup keys often may not, and that is not an error.
   */
  async check(): Promise<void> {
    const root = joinListPrefix(this.opts.prefix, "");
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.opts.bucket, MaxKeys: 1, ...(root ? { Prefix: root } : {}) }),
      );
    } catch (e) {
      throw mapS3Error(e, this.ctx("checking the bucket"));
    }
    try {
      await this.putSmall(
        WRITE_CHECK_KEY,
        `written by lifeboat's storage check at ${new Date().toISOString()}\n`,
        "text/plain",
      );
    } catch (e) {
      if (isLifeboatError(e) && e.code === "STORAGE_AUTH") {
        throw new LifeboatError(
          "STORAGE_AUTH",
          `the credentials may read bucket ${this.opts.bucket} but not write to it`,
          "grant s3:PutObject on the bucket (and the KMS key, with aws:kms encryption) to this access key",
          e.details,
        );
      }
      throw e;
    }
    await this.client
      .send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.key(WRITE_CHECK_KEY) }))
      .catch(() => undefined);
  }

  /** Closes pooled sockets; the store is unusable afterwards. */
  close(): void {
    this.client.destroy();
  }
}

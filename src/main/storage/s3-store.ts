import { randomBytes } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandInput,
} from "@aws-sdk/client-s3";
import { LifeboatError, isLifeboatError } from "../../shared/errors.ts";
import type { BackupStore, PutProgress, StoredObject, UnfinishedUpload } from "./backup-store.ts";
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
  /** How long the endpoint may stay silent on a request before it fails (see peer-timeouts.ts). Default 60 s. */
  idleTimeoutMs?: number;
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
/** How long aborting an unfinished multipart upload may take, retries included: it runs after a failure already. */
const ABORT_MULTIPART_MS = 30_000;

/** The start of the key the write check puts (and deletes again) under the prefix. */
export const WRITE_CHECK_KEY = ".lifeboat-write-check";

/** A 5xx from the server itself (not the network, not a refusal): worth trying another way to list. */
function isServerFault(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The upload was aborted", "AbortError");
}

export class S3Store implements BackupStore {
  readonly description: string;
  private readonly client: S3Client;
  /** The same client without retries, for ListObjectsV2 pages: a server that cannot page V2 is told apart at once. */
  private readonly v2Client: S3Client;
  private readonly where: string;
  /** Set once the server failed to page ListObjectsV2: this store then lists with ListObjects (V1). */
  private legacyListing = false;

  constructor(private readonly opts: S3StoreOptions) {
    const root = joinListPrefix(opts.prefix, "");
    this.description = `s3://${opts.bucket}/${root}${opts.endpoint ? ` at ${opts.endpoint}` : ""}`;
    this.where = opts.endpoint ?? `AWS region ${opts.region}`;
    const config = {
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      forcePathStyle: opts.forcePathStyle ?? false,
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      // The SDK's default since 2025 adds CRC32 trailers (aws-chunked bodies) that S3-compatible servers such as
      // s3rver, MinIO versions and many NAS gateways reject. Integrity is checked end to end by the backup's own hash.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
      // Without timeouts a dead network or a frozen server hangs a backup forever. socketTimeout is idle time, so a
      // slow link moving a 5 GB part is fine.
      requestHandler: { connectionTimeout: 10_000, socketTimeout: opts.idleTimeoutMs ?? 60_000 },
    } as const;
    this.client = new S3Client(config);
    this.v2Client = new S3Client({ ...config, maxAttempts: 1 });
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
      ...(signal ? { signal } : {}),
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
        { abortSignal: AbortSignal.timeout(ABORT_MULTIPART_MS) },
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

  /**
   * Every object under `prefix`. Correct whatever the server's paging does: pages continue after the last key seen
   * (a listing that stops advancing is an error, never a loop), and a server that fails to page ListObjectsV2 (s3rver
   * on OpenSSL 3 answers 500 to any truncated V2 listing: its continuation tokens use DES) is listed with the original
   * ListObjects and a plain key as the marker instead, which every S3 server supports.
   */
  async list(prefix: string): Promise<StoredObject[]> {
    const listPrefix = joinListPrefix(this.opts.prefix, prefix);
    const out: StoredObject[] = [];
    let after: string | undefined;
    let token: string | undefined;
    try {
      for (;;) {
        let page: {
          keys: { Key?: string; Size?: number; LastModified?: Date; ETag?: string }[];
          truncated: boolean;
          token?: string;
        };
        if (!this.legacyListing) {
          try {
            page = await this.listPageV2(listPrefix, token, after);
          } catch (e) {
            if (!isServerFault(e)) throw e;
            this.legacyListing = true;
            continue;
          }
        } else {
          page = await this.listPageV1(listPrefix, after);
        }
        for (const o of page.keys) {
          if (!o.Key || (after !== undefined && o.Key <= after)) continue;
          out.push({
            key: stripPrefix(this.opts.prefix, o.Key),
            bytes: o.Size ?? 0,
            lastModified: o.LastModified ?? new Date(0),
            ...(o.ETag ? { etag: o.ETag } : {}),
          });
        }
        const last = page.keys.at(-1)?.Key;
        if (!page.truncated) break;
        if (!last || (after !== undefined && last <= after)) {
          throw new LifeboatError(
            "STORAGE_ERROR",
            `the listing of ${listPrefix || "the bucket"} at ${this.where} claims more keys but does not advance (stuck after "${after ?? ""}")`,
            "The S3 server's listing is broken; check its version and logs. Nothing was changed.",
            { bucket: this.opts.bucket },
          );
        }
        after = last;
        token = this.legacyListing ? undefined : page.token;
      }
    } catch (e) {
      throw mapS3Error(e, this.ctx(`listing ${listPrefix || "the bucket"}`));
    }
    return out;
  }

  private async listPageV2(prefix: string, token: string | undefined, after: string | undefined) {
    const page = await this.v2Client.send(
      new ListObjectsV2Command({
        Bucket: this.opts.bucket,
        ...(prefix ? { Prefix: prefix } : {}),
        ...(token ? { ContinuationToken: token } : after !== undefined ? { StartAfter: after } : {}),
        ...(this.opts.listPageSize ? { MaxKeys: this.opts.listPageSize } : {}),
      }),
    );
    return {
      keys: page.Contents ?? [],
      truncated: !!page.IsTruncated,
      ...(page.NextContinuationToken ? { token: page.NextContinuationToken } : {}),
    };
  }

  private async listPageV1(prefix: string, after: string | undefined) {
    const page = await this.client.send(
      new ListObjectsCommand({
        Bucket: this.opts.bucket,
        ...(prefix ? { Prefix: prefix } : {}),
        ...(after !== undefined ? { Marker: after } : {}),
        ...(this.opts.listPageSize ? { MaxKeys: this.opts.listPageSize } : {}),
      }),
    );
    return { keys: page.Contents ?? [], truncated: !!page.IsTruncated };
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.key(key) }));
    } catch (e) {
      throw mapS3Error(e, this.ctx(`deleting ${key}`));
    }
  }

  /**
   * Lists (the bucket exists, the credentials are valid and may list) and writes a tiny object (they may write), so a
   * read-only key is caught before an hour-long dump rather than after it. The listing is of the check object's own
   * name, so it is never truncated and needs no paging, whatever the bucket holds. The object is deleted again when
   * the key may delete; backup keys often may not, and that is not an error. Its name is new each time: a bucket rule
   * that refuses deletes also refuses overwrites (Cloudflare R2's bucket locks), so a fixed name would fail the
   * second check.
   */
  async check(): Promise<void> {
    const checkKey = `${WRITE_CHECK_KEY}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
    try {
      await this.client.send(
        new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.key(WRITE_CHECK_KEY), MaxKeys: 1 }),
      );
    } catch (e) {
      throw mapS3Error(e, this.ctx("checking the bucket"));
    }
    try {
      await this.putSmall(
        checkKey,
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
      .send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: this.key(checkKey) }))
      .catch(() => undefined);
  }

  async listUnfinished(): Promise<UnfinishedUpload[]> {
    const root = joinListPrefix(this.opts.prefix, "");
    const out: UnfinishedUpload[] = [];
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    try {
      for (;;) {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.opts.bucket,
            ...(root ? { Prefix: root } : {}),
            ...(keyMarker ? { KeyMarker: keyMarker, UploadIdMarker: idMarker } : {}),
          }),
        );
        for (const u of page.Uploads ?? []) {
          if (!u.Key || !u.UploadId) continue;
          out.push({ id: u.UploadId, key: stripPrefix(this.opts.prefix, u.Key), started: u.Initiated ?? new Date(0) });
        }
        if (!page.IsTruncated || !page.NextKeyMarker) break;
        if (page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === idMarker) break;
        keyMarker = page.NextKeyMarker;
        idMarker = page.NextUploadIdMarker;
      }
    } catch (e) {
      throw mapS3Error(e, this.ctx(`listing unfinished uploads under ${root || "the bucket"}`));
    }
    return out;
  }

  async abortUnfinished(u: UnfinishedUpload): Promise<void> {
    const failure = await this.abortMultipart(this.key(u.key), u.id);
    if (failure) {
      throw new LifeboatError(
        "STORAGE_ERROR",
        `the unfinished upload ${u.id} of ${u.key} could not be aborted: ${failure.error}`,
        "Check the key's s3:AbortMultipartUpload permission; a bucket lifecycle rule (AbortIncompleteMultipartUpload) also removes it.",
      );
    }
  }

  /** Closes pooled sockets; the store is unusable afterwards. */
  close(): void {
    this.client.destroy();
    this.v2Client.destroy();
  }
}

import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  type ListMultipartUploadsCommandOutput,
  type ListObjectVersionsCommandOutput,
} from "@aws-sdk/client-s3";
import type { ObjectLockState, StoreProtection } from "../../shared/api/channels/protection-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { LockMode } from "../../shared/retention-policy.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { mapS3Error } from "../storage/s3-errors.ts";
import { S3Store, type S3Access } from "../storage/s3-store.ts";
import { probeBucketRule, type BucketRuleProbe } from "./bucket-rule-probe.ts";
import { isNotImplemented, isRefusal, refusalText, s3Code, s3Status } from "./s3-refusal.ts";

export interface ObjectVersion {
  key: string;
  versionId: string;
  deleteMarker: boolean;
  isLatest: boolean;
  bytes: number;
  lastModified: Date;
}

export interface OpenUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

const code = s3Code;
const status = s3Status;

export { isRefusal, refusalText };

const R2_HOST = /\.r2\.cloudflarestorage\.com$/i;

/**
 * S3 Object Lock, versioning and multipart housekeeping for an S3 store. Every lock is set on a version id and read
 * back: a lock Lifeboat has not seen the store report is never claimed.
 */
export class S3ObjectLock {
  constructor(private readonly a: S3Access) {}

  private fail(e: unknown, action: string, key?: string): LifeboatError {
    return mapS3Error(e, this.a.context(action, key));
  }

  /** Cloudflare R2: immutability is a bucket rule (bucket locks), set and read through Cloudflare's API only. */
  get isR2(): boolean {
    try {
      return !!this.a.endpoint && R2_HOST.test(new URL(this.a.endpoint).hostname);
    } catch {
      return false;
    }
  }

  async protection(description: string): Promise<StoreProtection> {
    const notes: string[] = [];
    let versioning: StoreProtection["versioning"] = "unknown";
    try {
      const v = await this.a.client.send(new GetBucketVersioningCommand({ Bucket: this.a.bucket }));
      versioning = v.Status === "Enabled" ? "enabled" : v.Status === "Suspended" ? "suspended" : "off";
    } catch (e) {
      if (!isNotImplemented(e)) throw this.fail(e, "reading the bucket's versioning");
    }
    let objectLock: StoreProtection["objectLock"] = "off";
    let defaultRetention: StoreProtection["defaultRetention"] = null;
    try {
      const c = await this.a.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.a.bucket }));
      const cfg = c.ObjectLockConfiguration;
      objectLock = cfg?.ObjectLockEnabled === "Enabled" ? "enabled" : "off";
      const d = cfg?.Rule?.DefaultRetention;
      if (d?.Mode) defaultRetention = { mode: d.Mode, days: d.Days ?? (d.Years ?? 0) * 365 };
    } catch (e) {
      if (isNotImplemented(e)) objectLock = "unsupported";
      else if (code(e) !== "ObjectLockConfigurationNotFoundError" && status(e) !== 404)
        throw this.fail(e, "reading the bucket's Object Lock configuration");
    }
    // A store whose S3 API shows no Object Lock may still refuse deletes by a bucket rule (Cloudflare R2's bucket
    // locks): only trying one tells.
    if (objectLock === "unsupported" || (this.isR2 && objectLock !== "enabled")) {
      const probe = await probeBucketRule(this.a, description);
      if (probe.outcome === "refused") {
        return {
          store: description,
          kind: "s3",
          versioning,
          objectLock: "bucket-rule",
          defaultRetention: null,
          notes: [this.bucketRuleNote(description, probe.refusal)],
        };
      }
      objectLock = "unsupported";
    }
    if (versioning !== "enabled" && objectLock !== "unsupported")
      notes.push(
        `versioning is ${versioning}: an overwrite or delete replaces a backup for good. Turn it on (aws s3api put-bucket-versioning --bucket ${this.a.bucket} --versioning-configuration Status=Enabled).`,
      );
    if (objectLock === "off")
      notes.push(
        `Object Lock is not enabled on bucket ${this.a.bucket}: anyone holding its keys can delete every backup. On AWS it can be enabled on a versioned bucket (aws s3api put-object-lock-configuration --bucket ${this.a.bucket} --object-lock-configuration ObjectLockEnabled=Enabled); elsewhere create a new bucket with Object Lock (aws s3api create-bucket --object-lock-enabled-for-bucket) and point the profile at it.`,
      );
    if (objectLock === "unsupported")
      notes.push(
        `this store's S3 API offers no Object Lock, and no bucket rule protects ${description}: a probe object Lifeboat wrote there was deleted at once, so anyone holding its keys can delete every backup. ${
          this.isR2
            ? `Add an R2 bucket lock rule that covers the prefix for at least the longest retention tier (the bucket's Settings, Bucket lock rules; or \`wrangler r2 bucket lock add ${this.a.bucket}\`), or keep a replica on a store that locks.`
            : "Keep a replica on a store that locks."
        }`,
      );
    return { store: description, kind: "s3", versioning, objectLock, defaultRetention, notes };
  }

  /** What `profile test`, `verify` and the console say about a store that refuses deletes by a bucket rule. */
  bucketRuleNote(description: string, refusal: string): string {
    return `immutability here is a bucket rule, not a lock per object: the store refused to delete a probe object Lifeboat wrote under ${description} (${refusal}). S3 shows neither the rule nor how long it holds, so make sure it covers this prefix for at least the longest retention tier${
      this.isR2 ? ` (\`wrangler r2 bucket lock list ${this.a.bucket}\`)` : ""
    }; the probe object stays, kept by the rule.`;
  }

  /**
   * For a backup no object of which shows a lock: whether a bucket rule refuses deletes under the prefix, on a store
   * that shows no Object Lock (or whose backup was made under such a rule). null on a store that offers Object Lock,
   * where an unlocked object is simply unlocked.
   */
  async bucketRuleProbe(description: string, madeUnderRule: boolean): Promise<BucketRuleProbe | null> {
    if (!this.isR2 && !madeUnderRule) {
      try {
        await this.a.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.a.bucket }));
        return null;
      } catch (e) {
        if (!isNotImplemented(e)) return null;
      }
    }
    return probeBucketRule(this.a, description);
  }

  /** The lock on a key's version (latest without versionId), or null when there is no such object. */
  async state(key: string, versionId?: string): Promise<ObjectLockState | null> {
    try {
      const h = await this.a.client.send(
        new HeadObjectCommand({
          Bucket: this.a.bucket,
          Key: this.a.fullKey(key),
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      return {
        key,
        versionId: h.VersionId && h.VersionId !== "null" ? h.VersionId : null,
        mode: h.ObjectLockMode ?? null,
        retainUntil: h.ObjectLockRetainUntilDate ? h.ObjectLockRetainUntilDate.toISOString() : null,
        legalHold: h.ObjectLockLegalHoldStatus === "ON",
      };
    } catch (e) {
      if (code(e) === "NotFound" || code(e) === "NoSuchKey" || status(e) === 404) return null;
      throw this.fail(e, `reading the lock of ${key}`, key);
    }
  }

  /**
   * Locks a version until `until` and reads the lock back. A store that keeps no lock, or a shorter one, fails with
   * LOCK_NOT_TAKEN: a backup is never called locked on the strength of a request alone.
   */
  async lock(key: string, versionId: string | null, mode: LockMode, until: Date): Promise<ObjectLockState> {
    try {
      await this.putRetention(key, versionId, mode, until, false);
    } catch (e) {
      const current = await this.state(key, versionId ?? undefined).catch(() => null);
      // Asking for less than a lock already holds is refused; the longer lock is what matters.
      if (current?.retainUntil && Date.parse(current.retainUntil) >= until.getTime() && current.mode === mode)
        return current;
      if (isRefusal(e)) {
        throw new LifeboatError(
          "LOCK_NOT_TAKEN",
          `the store refused to lock ${key} (${mode} until ${until.toISOString()}): ${refusalText(e)}`,
          "Check that the bucket has Object Lock enabled and that the credentials may s3:PutObjectRetention (`lifeboat profile test` shows the bucket's state).",
          { key, mode, until: until.toISOString() },
        );
      }
      throw this.fail(e, `locking ${key}`, key);
    }
    const back = await this.state(key, versionId ?? undefined);
    const held = back?.retainUntil ? Date.parse(back.retainUntil) : NaN;
    // Stores keep retain-until to the second or finer; a millisecond rounding is not a shorter lock.
    if (!back || back.mode !== mode || !(held >= until.getTime() - 1000)) {
      throw new LifeboatError(
        "LOCK_NOT_TAKEN",
        `the store did not keep the lock on ${key}: asked for ${mode} until ${until.toISOString()}, it reports ${back?.mode ?? "no mode"} until ${back?.retainUntil ?? "nothing"}`,
        "A lock shorter than the backup's retention tier leaves it unprotected before the policy lets it go. Check the bucket's Object Lock settings and any maximum retention the provider enforces.",
        { key, asked: until.toISOString(), reported: back?.retainUntil ?? null },
      );
    }
    return back;
  }

  /** A bare PutObjectRetention: the store's own answer, refusals included, for the ransomware drill. */
  async putRetention(
    key: string,
    versionId: string | null,
    mode: LockMode,
    until: Date,
    bypassGovernance: boolean,
  ): Promise<void> {
    await this.a.client.send(
      new PutObjectRetentionCommand({
        Bucket: this.a.bucket,
        Key: this.a.fullKey(key),
        ...(versionId ? { VersionId: versionId } : {}),
        Retention: { Mode: mode, RetainUntilDate: until },
        ...(bypassGovernance ? { BypassGovernanceRetention: true } : {}),
      }),
    );
  }

  async legalHold(key: string, versionId: string | null, on: boolean): Promise<ObjectLockState> {
    try {
      await this.a.client.send(
        new PutObjectLegalHoldCommand({
          Bucket: this.a.bucket,
          Key: this.a.fullKey(key),
          ...(versionId ? { VersionId: versionId } : {}),
          LegalHold: { Status: on ? "ON" : "OFF" },
        }),
      );
    } catch (e) {
      if (isRefusal(e)) {
        throw new LifeboatError(
          "OBJECT_LOCK_UNAVAILABLE",
          `the store refused a legal hold on ${key}: ${refusalText(e)}`,
          "Legal holds need a bucket with Object Lock enabled, and credentials allowed s3:PutObjectLegalHold.",
          { key },
        );
      }
      throw this.fail(e, `${on ? "setting" : "releasing"} the legal hold on ${key}`, key);
    }
    const back = await this.state(key, versionId ?? undefined);
    if (!back || back.legalHold !== on) {
      throw new LifeboatError(
        "LOCK_NOT_TAKEN",
        `the store reports the legal hold on ${key} as ${back?.legalHold ? "ON" : "OFF"} after Lifeboat set it ${on ? "ON" : "OFF"}`,
        "Check the bucket's Object Lock settings.",
        { key },
      );
    }
    return back;
  }

  /** Every version and delete marker under a store prefix. */
  async versions(prefix: string): Promise<ObjectVersion[]> {
    const out: ObjectVersion[] = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    const listPrefix = this.a.listPrefix(prefix);
    try {
      for (;;) {
        const page: ListObjectVersionsCommandOutput = await this.a.client.send(
          new ListObjectVersionsCommand({
            Bucket: this.a.bucket,
            Prefix: listPrefix,
            ...(keyMarker ? { KeyMarker: keyMarker } : {}),
            ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
          }),
        );
        for (const v of page.Versions ?? []) {
          out.push({
            key: this.a.relativeKey(v.Key!),
            versionId: v.VersionId ?? "null",
            deleteMarker: false,
            isLatest: !!v.IsLatest,
            bytes: v.Size ?? 0,
            lastModified: v.LastModified ?? new Date(0),
          });
        }
        for (const m of page.DeleteMarkers ?? []) {
          out.push({
            key: this.a.relativeKey(m.Key!),
            versionId: m.VersionId ?? "null",
            deleteMarker: true,
            isLatest: !!m.IsLatest,
            bytes: 0,
            lastModified: m.LastModified ?? new Date(0),
          });
        }
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        versionMarker = page.NextVersionIdMarker;
      }
    } catch (e) {
      throw this.fail(e, `listing the versions under ${listPrefix}`);
    }
    return out;
  }

  /** Like versions(), but null from a store that cannot list versions (s3rver, some gateways). */
  async versionsIfSupported(prefix: string): Promise<ObjectVersion[] | null> {
    try {
      return await this.versions(prefix);
    } catch (e) {
      const s = (e as LifeboatError).details?.status;
      if (s === 501 || s === 405 || (e as LifeboatError).details?.s3Code === "NotImplemented") return null;
      throw e;
    }
  }

  /** Deletes one version for good (or a delete marker). Refusals surface as the store's own error. */
  async deleteVersion(key: string, versionId: string, opts: { bypassGovernance?: boolean } = {}): Promise<void> {
    await this.a.client.send(
      new DeleteObjectCommand({
        Bucket: this.a.bucket,
        Key: this.a.fullKey(key),
        VersionId: versionId,
        ...(opts.bypassGovernance ? { BypassGovernanceRetention: true } : {}),
      }),
    );
  }

  async uploads(prefix: string): Promise<OpenUpload[]> {
    const out: OpenUpload[] = [];
    let keyMarker: string | undefined;
    let uploadMarker: string | undefined;
    try {
      for (;;) {
        const page: ListMultipartUploadsCommandOutput = await this.a.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.a.bucket,
            Prefix: this.a.listPrefix(prefix),
            ...(keyMarker ? { KeyMarker: keyMarker } : {}),
            ...(uploadMarker ? { UploadIdMarker: uploadMarker } : {}),
          }),
        );
        for (const u of page.Uploads ?? []) {
          if (u.Key && u.UploadId)
            out.push({ key: this.a.relativeKey(u.Key), uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) });
        }
        if (!page.IsTruncated) break;
        keyMarker = page.NextKeyMarker;
        uploadMarker = page.NextUploadIdMarker;
      }
    } catch (e) {
      if (status(e) === 501 || code(e) === "NotImplemented") return out;
      throw this.fail(e, "listing unfinished multipart uploads");
    }
    return out;
  }

  async abortUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.a.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.a.bucket, Key: this.a.fullKey(key), UploadId: uploadId }),
      );
    } catch (e) {
      if (code(e) === "NoSuchUpload") return;
      throw this.fail(e, `aborting the multipart upload of ${key}`, key);
    }
  }
}

/** Object Lock operations for an S3 store; null for a folder, which has no locks or versions. */
export function objectLockFor(store: BackupStore): S3ObjectLock | null {
  return store instanceof S3Store ? new S3ObjectLock(store.s3) : null;
}

// What a store shows about a profile's backups when the report is made: every object listed and classified (an
// age-encrypted archive, Lifeboat's own metadata, or plaintext where none may be, found by reading each object's first
// bytes), and every manifest read byte for byte (its sha256 is what the report cites).
import { createHash } from "node:crypto";
import type { BundledManifest, ObservedStore } from "../../../shared/compliance/evidence-bundle.ts";
import { MANIFEST_NAME } from "../../../shared/manifest.ts";
import type { BackupStore, StoredObject } from "../../storage/backup-store.ts";
import { STATE_ROOT } from "../../store-journal/state-keys.ts";

const AGE_HEADER = Buffer.from("age-encryption.org/v1\n");
/** Metadata Lifeboat writes beside the backups is small; a "metadata" name on anything bigger is read like the rest. */
const METADATA_MAX_BYTES = 1024 * 1024;
const CONCURRENCY = 16;

export interface StoreEvidence {
  observed: ObservedStore;
  manifests: BundledManifest[];
}

/** Runs `fn` over `items`, `n` at a time, in order of completion. */
export async function eachLimited<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The first bytes of an object: enough to tell an age file from anything else. */
export async function objectHead(store: BackupStore, key: string, n = AGE_HEADER.length): Promise<Buffer> {
  const stream = await store.getStream(key);
  const got: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      got.push(chunk);
      size += chunk.length;
      if (size >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(got).subarray(0, n);
}

/** Names Lifeboat gives its own plain metadata: manifests, the profile snapshot, verify evidence, run state. */
function isMetadataName(profile: string, key: string): boolean {
  if (key.startsWith(`${STATE_ROOT}/${profile}/`)) return /\.(json|jsonl)$/.test(key);
  const rest = key.slice(profile.length + 1).split("/");
  if (rest.length === 2) return rest[1] === MANIFEST_NAME || rest[1] === "profile.json";
  return rest.length === 3 && rest[1] === "evidence" && rest[2]!.endsWith(".json");
}

export async function storeEvidence(
  store: BackupStore,
  profile: string,
  name: string,
  meta: { kind: "s3" | "folder"; region: string | null },
  opts: { readManifests: boolean },
): Promise<StoreEvidence> {
  const objects: StoredObject[] = [
    ...(await store.list(`${profile}/`)),
    ...(await store.list(`${STATE_ROOT}/${profile}/`)),
  ];
  const manifestKeys = objects.filter((o) => {
    const parts = o.key.split("/");
    return parts.length === 3 && parts[2] === MANIFEST_NAME;
  });
  const committed = manifestKeys.map((o) => o.key.split("/")[1]!).sort();
  const plaintext: ObservedStore["plaintext"] = [];
  const toRead = objects.filter(
    (o) => !(isMetadataName(profile, o.key) && o.bytes <= METADATA_MAX_BYTES) && o.bytes > 0,
  );
  await eachLimited(toRead, CONCURRENCY, async (o) => {
    const head = await objectHead(store, o.key);
    if (!head.equals(AGE_HEADER))
      plaintext.push({
        key: o.key,
        bytes: o.bytes,
        why: "it does not begin with age's header (age-encryption.org/v1)",
      });
  });
  const manifests: BundledManifest[] = [];
  if (opts.readManifests)
    await eachLimited(manifestKeys, CONCURRENCY * 2, async (o) => {
      const raw = await store.getSmall(o.key);
      manifests.push({
        profile,
        store: name,
        key: o.key,
        sha256: createHash("sha256").update(raw).digest("hex"),
        text: raw.toString("utf8"),
      });
    });
  manifests.sort((a, b) => (a.key < b.key ? -1 : 1));
  plaintext.sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    observed: {
      profile,
      name,
      description: store.description,
      kind: meta.kind,
      region: meta.region,
      reachable: true,
      objects: objects.length,
      bytes: objects.reduce((a, o) => a + o.bytes, 0),
      committed,
      plaintext,
      locks: null,
    },
    manifests,
  };
}

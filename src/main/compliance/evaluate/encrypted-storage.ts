// Encrypted backup storage: every retained backup's manifest names the age recipients its archive was encrypted to,
// and the stores hold nothing else in plaintext (each object was read: an archive must start with age's header, and
// only Lifeboat's own metadata may be plain JSON).
import { formatBytes, formatDate } from "../../../shared/format.ts";
import type { EvidenceIndex } from "./evidence-index.ts";
import { factTable, plural, result, type ItemResult } from "./item-result.ts";

const short = (r: string) => `${r.slice(0, 10)}…${r.slice(-6)}`;

export function encryptedStorage(ix: EvidenceIndex, profile: string): ItemResult {
  const stores = ix.stores(profile);
  const unreachable = stores.filter((s) => !s.reachable);
  const unseen = unreachable.map((s) => `${s.name} store (${s.description}): ${s.error ?? "unreachable"}`);
  const backups = ix.backups(profile);
  const unencrypted = backups.filter((b) => b.m.encryption.format !== "age-v1" || !b.m.encryption.recipients.length);
  const sets = new Map<string, { n: number; first: string; last: string }>();
  for (const b of backups) {
    const k = b.m.encryption.recipients.map(short).join(", ") || "(none)";
    const s = sets.get(k) ?? { n: 0, first: b.m.startedAt, last: b.m.startedAt };
    s.n++;
    s.last = b.m.startedAt;
    sets.set(k, s);
  }
  const plaintext = stores.flatMap((s) => s.plaintext.map((p) => ({ store: s, ...p })));
  const tables = [
    factTable(
      "Recipients of the retained backups",
      ["Recipients (age X25519)", "Backups", "First", "Last"],
      [...sets.entries()].map(([k, s]) => [k, String(s.n), formatDate(s.first), formatDate(s.last)]),
    ),
    factTable(
      "Objects read in the stores",
      ["Store", "Where", "Objects", "Bytes", "Plaintext"],
      stores.map((s) => [
        s.name,
        s.description,
        s.reachable ? String(s.objects) : "unreachable",
        s.reachable ? formatBytes(s.bytes) : "—",
        s.reachable ? String(s.plaintext.length) : "—",
      ]),
    ),
    ...(plaintext.length
      ? [
          factTable(
            "Plaintext objects",
            ["Store", "Key", "Bytes", "Why"],
            plaintext.map((p) => [p.store.name, p.key, formatBytes(p.bytes), p.why]),
          ),
        ]
      : []),
  ];
  const findings = [
    ...unencrypted.map((b) => `Backup ${b.m.id} names no age recipient: it is not encrypted.`),
    ...plaintext.map((p) => `${p.key} in the ${p.store.name} store is plaintext: ${p.why}.`),
    ...ix.unreadableManifests
      .filter((u) => u.profile === profile)
      .map((u) => `${u.key} is ${u.why}: what it describes cannot be judged.`),
  ];
  const evidence = backups.map((b) => b.ref);
  if (unencrypted.length || plaintext.length)
    return result(
      "FAIL",
      `${plural(unencrypted.length, "retained backup")} without encryption and ${plural(plaintext.length, "plaintext object")} in the stores.`,
      { findings, tables, evidence, unseen },
    );
  if (!backups.length || stores.every((s) => !s.reachable))
    return result(
      "NOT_EVIDENCED",
      unreachable.length ? "The backup stores could not be read." : "The store holds no committed backup to judge.",
      { findings, tables, evidence, unseen },
    );
  if (unreachable.length)
    return result(
      "NOT_EVIDENCED",
      `Every backup read is encrypted, but ${plural(unreachable.length, "store")} could not be read.`,
      { findings, tables, evidence, unseen },
    );
  const objects = stores.reduce((a, s) => a + s.objects, 0);
  return result(
    "PASS",
    `All ${plural(backups.length, "retained backup")} are age-encrypted to named recipients, and none of the ${plural(objects, "object")} read in ${plural(stores.length, "store")} is plaintext.`,
    { findings, tables, evidence, unseen },
  );
}

// The verifiable JSON export. Records are copied byte for byte from the segments, one per line, so the file is both
// a JSON document and greppable; the digest at the end is sha256 over every record hash followed by "\n":
//   jq -r '.records[].hash' export.json | sha256sum      == .digest.value
import type { Actor } from "../../shared/api/journal-schemas.ts";
import { createHash } from "node:crypto";
import type { Writable } from "node:stream";
import { hashOfLine } from "../journal/canonical.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { defaultActor } from "../journal/journal-writer.ts";
import type { ResolvedScope } from "./export-scope.ts";
import { TextSink } from "./text-sink.ts";

export const EXPORT_FORMAT = "lifeboat-journal-export/1";

export interface ExportDigest {
  algorithm: "sha256";
  of: string;
  count: number;
  firstSeq: number | null;
  lastSeq: number | null;
  value: string;
}

export interface ExportResult {
  records: number;
  bytes: number;
  digest: ExportDigest;
}

export async function writeJsonExport(
  reader: JournalReader,
  scope: ResolvedScope,
  out: Writable,
  actor: Actor = defaultActor(),
): Promise<ExportResult> {
  const sink = new TextSink(out);
  const header = {
    format: EXPORT_FORMAT,
    exportedAt: new Date().toISOString(),
    exportedBy: actor,
    scope: scope.scope,
    describes: scope.describe,
    contiguous: scope.contiguous,
    chainHead: scope.chainHead,
    howToVerify:
      "lifeboat journal verify --file <this file>. Without Lifeboat: each record's hash is sha256 of its line with the hash field removed; `jq -r '.records[].hash' <file> | sha256sum` equals digest.value.",
  };
  await sink.write(`${JSON.stringify(header).slice(0, -1)},\n"records":[\n`);
  const digest = createHash("sha256");
  let count = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  for await (const chunk of reader.lineChunks(scope.query)) {
    let hashes = "";
    for (const { seq, line } of chunk) {
      hashes += `${hashOfLine(line)}\n`;
      sink.push(count ? `,\n${line}` : line);
      firstSeq ??= seq;
      lastSeq = seq;
      count++;
    }
    digest.update(hashes);
    if (sink.full) await sink.flush();
  }
  const d: ExportDigest = {
    algorithm: "sha256",
    of: "each record's hash followed by a newline, in order",
    count,
    firstSeq,
    lastSeq,
    value: digest.digest("hex"),
  };
  await sink.write(`${count ? "\n" : ""}],\n"digest":${JSON.stringify(d)}}\n`);
  await sink.flush();
  return { records: count, bytes: sink.bytes, digest: d };
}

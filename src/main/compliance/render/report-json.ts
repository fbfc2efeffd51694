// The verifiable JSON: the report, then its evidence (the cited journal records and manifests byte for byte, and what
// was observed in the stores), then two digests anyone can recompute with jq and sha256sum (see the README):
//   jq -r '.evidence.journals[].lines[] | fromjson | .hash' report.json | sha256sum   == .digest.records.value
//   jq -r '.evidence.manifests[].sha256' report.json | sha256sum                     == .digest.manifests.value
import { createHash } from "node:crypto";
import type { ComplianceReport } from "../../../shared/compliance/compliance-report.ts";
import type { EvidenceBundle } from "../../../shared/compliance/evidence-bundle.ts";
import { hashOfLine } from "../../journal/canonical.ts";

export const HOW_TO_VERIFY =
  "lifeboat report verify <this file>: every record's hash and chain, every manifest's sha256, every citation, and every verdict re-derived from the evidence. " +
  "Without Lifeboat: each line in evidence.journals[].lines is a journal record whose hash is sha256 of the line with its hash field removed; " +
  "`jq -r '.evidence.journals[].lines[] | fromjson | .hash' <file> | sha256sum` equals digest.records.value; " +
  "`jq -j '.evidence.manifests[N].text' <file> | sha256sum` equals evidence.manifests[N].sha256, and the manifest in the store has the same sha256.";

export interface Digest {
  algorithm: "sha256";
  of: string;
  count: number;
  value: string;
}

export function recordsDigest(bundle: EvidenceBundle): Digest {
  const h = createHash("sha256");
  let count = 0;
  for (const j of bundle.journals)
    for (const line of j.lines) {
      h.update(`${hashOfLine(line)}\n`);
      count++;
    }
  return {
    algorithm: "sha256",
    of: "each record's hash and a newline, journal by journal, in order",
    count,
    value: h.digest("hex"),
  };
}

export function manifestsDigest(bundle: EvidenceBundle): Digest {
  const h = createHash("sha256");
  for (const m of bundle.manifests) h.update(`${m.sha256}\n`);
  return {
    algorithm: "sha256",
    of: "each manifest's sha256 and a newline, in order",
    count: bundle.manifests.length,
    value: h.digest("hex"),
  };
}

export function reportJson(report: ComplianceReport, bundle: EvidenceBundle): string {
  const doc = {
    ...report,
    howToVerify: HOW_TO_VERIFY,
    evidence: bundle,
    digest: { records: recordsDigest(bundle), manifests: manifestsDigest(bundle) },
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

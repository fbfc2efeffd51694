// The report handed to an auditor: HTML that prints well, a PDF printed by the engine's Chromium, Markdown, or the JSON
// that verifies on its own. The engine renders and journals it (with its sha256); the console saves what it returns.
import { useState } from "react";
import { invoke, type RequestOf, type ResultOf } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { ExportFormatPicker } from "../../components/export-format-picker.tsx";
import { downloadBase64, downloadText } from "../../lib/download.ts";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { formatBytes, formatDate } from "../../../../shared/format.ts";

const FORMATS = [
  { value: "html", label: "HTML (prints well)", mime: "text/html" },
  { value: "pdf", label: "PDF (printed by Chromium)", mime: "application/pdf" },
  { value: "md", label: "Markdown", mime: "text/markdown" },
  { value: "json", label: "JSON (verifies on its own)", mime: "application/json" },
] as const;
type Format = (typeof FORMATS)[number]["value"];

export function ComplianceExport({
  scope,
  report,
}: {
  scope: RequestOf<"compliance.report">;
  report: ResultOf<"compliance.report">;
}) {
  const [format, setFormat] = useState<Format>("html");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<ErrorInfo>();

  const run = async () => {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    const r = await invoke("compliance.export", { ...scope, format, destination: "text" });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const v = r.value;
    const f = FORMATS.find((x) => x.value === format)!;
    const name = `lifeboat-compliance-${report.controlSet}-${formatDate(v.period.from)}-to-${formatDate(v.period.to)}.${format}`;
    if (v.base64 !== undefined) downloadBase64(name, v.base64, f.mime);
    else if (v.text !== undefined) downloadText(name, v.text, f.mime);
    setDone(
      `Exported ${name} (${formatBytes(v.bytes)}, sha256 ${v.sha256}): ${v.summary.pass} PASS, ${v.summary.fail} FAIL, ${v.summary.notEvidenced} NOT EVIDENCED. The export is journaled with its sha256.`,
    );
  };

  return (
    <div className="stack" role="group" aria-label="Export the compliance report">
      <ExportFormatPicker
        label="Report format"
        formats={FORMATS}
        format={format}
        onFormat={setFormat}
        busy={busy}
        action="Export report"
        onExport={() => void run()}
      />
      <p className="muted">
        The export is made again from the evidence with the scope above. Anyone can check the JSON: lifeboat report
        verify FILE, or with jq and sha256sum alone (see the README).
      </p>
      {done ? <p role="status">{done}</p> : null}
      {error ? <ErrorNotice error={error} title="Export failed" /> : null}
    </div>
  );
}

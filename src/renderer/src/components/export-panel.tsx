// Export the journal or one incident's timeline. The text comes back over the API and is saved as a file here, so an
// export works with no network: the journal is local.
import { formatBytes } from "../../../shared/format.ts";
import { useState } from "react";
import type { JournalOutcome } from "../../../shared/api/journal-schemas.ts";
import type { ErrorInfo } from "../../../shared/errors.ts";
import { invoke } from "../api/invoke.ts";
import { downloadText } from "../lib/download.ts";
import { ErrorNotice } from "./error-notice.tsx";
import { ExportFormatPicker } from "./export-format-picker.tsx";

const FORMATS = [
  { value: "html", label: "HTML (timeline picture)", mime: "text/html" },
  { value: "md", label: "Markdown", mime: "text/markdown" },
  { value: "json", label: "JSON (verifiable)", mime: "application/json" },
  { value: "csv", label: "CSV", mime: "text/csv" },
] as const;
type Format = (typeof FORMATS)[number]["value"];

/** The journal list's active filters, exported as they are: the export holds what the list shows. */
export interface ExportFilter {
  incident?: string;
  kind?: string;
  profile?: string;
  outcome?: JournalOutcome;
  text?: string;
  since?: string;
  until?: string;
}

export function ExportPanel({
  incident,
  label,
  filter,
}: {
  incident?: string | undefined;
  label: string;
  filter?: ExportFilter;
}) {
  const [format, setFormat] = useState<Format>("html");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<ErrorInfo>();
  const filtered = Object.keys(filter ?? {}).some((k) => k !== "incident");

  const run = async () => {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    const scope: ExportFilter = { ...filter, ...(incident ? { incident } : {}) };
    const r = await invoke("journal.export", { format, destination: "text", ...scope });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const f = FORMATS.find((x) => x.value === format)!;
    const name = `lifeboat-${scope.incident ?? "journal"}${filtered ? "-filtered" : ""}.${format}`;
    if (r.value.text !== undefined) downloadText(name, r.value.text, f.mime);
    setDone(
      `Exported ${r.value.records} records (${r.value.scope}, ${formatBytes(r.value.bytes)}) as ${name}${r.value.digest ? `, sha256 ${r.value.digest.slice(0, 16)}…` : ""}.`,
    );
  };

  return (
    <div className="stack" role="group" aria-label={label}>
      <ExportFormatPicker
        label="Export format"
        formats={FORMATS}
        format={format}
        onFormat={setFormat}
        busy={busy}
        action={incident ? "Export timeline" : "Export journal"}
        onExport={() => void run()}
      />
      {filter && Object.keys(filter).length ? (
        <p className="muted">Exports only the records the filters above select.</p>
      ) : null}
      {done ? <p role="status">{done}</p> : null}
      {error ? <ErrorNotice error={error} title="Export failed" /> : null}
    </div>
  );
}

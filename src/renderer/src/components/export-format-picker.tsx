// The format choice and the button every export in the console has: the journal's, an incident's, the compliance
// report's.
import { useId } from "react";

export function ExportFormatPicker<F extends string>({
  label,
  formats,
  format,
  onFormat,
  busy,
  action,
  onExport,
}: {
  label: string;
  formats: readonly { value: F; label: string }[];
  format: F;
  onFormat: (f: F) => void;
  busy: boolean;
  /** The button's words, e.g. "Export journal". */
  action: string;
  onExport: () => void;
}) {
  const id = useId();
  return (
    <div className="row" style={{ alignItems: "flex-end" }}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} value={format} onChange={(e) => onFormat(e.target.value as F)}>
          {formats.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="btn" onClick={onExport} disabled={busy}>
        {busy ? "Exporting…" : action}
      </button>
    </div>
  );
}

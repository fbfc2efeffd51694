import { formatBytes, formatDuration, formatTime } from "../../../shared/format.ts";
import type { ReactNode } from "react";
import type { ValueFormat } from "../../../shared/runbooks/runbook-types.ts";
import { formatNumber } from "../lib/format.ts";

export function formatValue(v: unknown, format: ValueFormat = "text"): ReactNode {
  if (v === undefined || v === null || v === "") return "—";
  switch (format) {
    case "datetime":
      return formatTime(String(v));
    case "bytes":
      return formatBytes(Number(v));
    case "number":
      return formatNumber(Number(v));
    case "duration-ms":
      return formatDuration(Number(v));
    case "boolean":
      return v ? "yes" : "no";
    case "code":
      return <span className="mono">{String(v)}</span>;
    default:
      return typeof v === "object" ? <span className="mono">{JSON.stringify(v)}</span> : String(v);
  }
}

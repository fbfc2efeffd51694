// The drill's result as the seed's script printed it ("✅ Backup test passed - Patients: 150 ..."), with the detail an
// operator needs when it did not pass.
import type { DrillResult } from "../../shared/api/neon-schemas.ts";
import { formatDuration } from "../../shared/format.ts";

/** "ClinicalNote" -> "Clinical Notes", "Patient" -> "Patients", "public.LabResult" -> "Lab Results". */
export function tableLabel(table: string): string {
  const base = table.includes(".") ? table.slice(table.indexOf(".") + 1) : table;
  const words = base
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim();
  if (/s$/i.test(words)) return words;
  if (/[^aeiou]y$/i.test(words)) return `${words.slice(0, -1)}ies`;
  return `${words}s`;
}

export function formatDrillReport(r: DrillResult): string {
  const lines = [r.pass ? "✅ Backup test passed" : "❌ BACKUP TEST FAILED"];
  for (const c of r.counts) {
    const prev =
      c.previous !== undefined && c.previous !== null && c.previous !== c.rows
        ? ` (last passing run: ${c.previous})`
        : "";
    lines.push(`   - ${tableLabel(c.table)}: ${c.rows === null ? "MISSING" : c.rows}${prev}`);
  }
  for (const f of r.failures) lines.push(`   ✗ ${f}`);
  if (r.error) {
    lines.push(`   ✗ ${r.error.message}`);
    if (r.error.hint) lines.push(`     what to do: ${r.error.hint}`);
  }
  const create = r.phases.find((p) => p.name === "create");
  if (create?.ok)
    lines.push(`   - Recovery branch ${r.branch} created at ${r.pointInTime} (${r.offset} ago) successfully`);
  const del = r.phases.find((p) => p.name === "delete");
  if (r.pass) {
    lines.push(
      `   - Data verified${r.baseline ? ` against the passing run of ${r.baseline.ts}` : " (first run: nothing earlier to compare with)"}${del?.ok ? ", branch deleted" : ""}`,
    );
  } else if (del?.ok) {
    lines.push(`   - Test branch ${r.branch} deleted`);
  }
  for (const w of r.warnings) lines.push(`   ⚠ ${w}`);
  if (r.phases.length)
    lines.push(
      `   phases: ${r.phases.map((p) => `${p.name} ${formatDuration(p.durationMs)}${p.ok ? "" : " (failed)"}`).join(" · ")}; total ${formatDuration(r.durationMs)}`,
    );
  return lines.join("\n");
}

// The timeline picture for the HTML report: an inline SVG (no scripts, no external resources) with the RTO window,
// the RTO target, milestones, every operation as a bar coloured by outcome, and operator actions as ticks. The axis
// spans what happened, not the RTO target: a 4-minute drill against a 30-minute target would otherwise be squeezed
// into the first eighth; a target beyond the axis is named at its right edge instead.
import { formatDuration } from "../../shared/format.ts";
import type { IncidentReport } from "../../shared/api/journal-schemas.ts";
import { escapeHtml as esc, fmtClock } from "./export-format.ts";

const W = 960;
const LEFT = 110;
const RIGHT = 24;
const PLOT = W - LEFT - RIGHT;
const MAX_OPS = 200;
const COLORS: Record<string, string> = {
  ok: "#2e7d32",
  failed: "#c62828",
  refused: "#ef6c00",
  cancelled: "#8d6e63",
  started: "#78909c",
  info: "#546e7a",
  unknown: "#6d4c41",
};

function ms(iso: string | undefined): number | undefined {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

const STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440];

export function timelineSvg(r: IncidentReport): string {
  const times = [r.detectedAt, r.openedAt, r.serviceRestoredAt, r.closedAt, r.firstTs, r.lastTs]
    .map(ms)
    .filter((t): t is number => t !== undefined);
  if (!times.length) return "";
  const from = ms(r.rto.from) ?? Math.min(...times);
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  const pad = Math.max((t1 - t0) * 0.03, 30_000);
  t0 -= pad;
  t1 += pad;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * PLOT;

  // Operations are packed into as few rows as fit without overlap.
  const ops = r.operations.slice(0, MAX_OPS).map((o) => {
    const s = ms(o.startedAt) ?? t0;
    const e = ms(o.endedAt) ?? (r.status === "open" ? Math.min(Date.now(), t1) : s);
    return { o, x1: x(s), x2: Math.max(x(e), x(s) + 4) };
  });
  const rowEnds: number[] = [];
  const placed = ops.map((op) => {
    let row = rowEnds.findIndex((end) => end + 2 <= op.x1);
    if (row === -1) {
      row = rowEnds.length < 8 ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
      if (row === rowEnds.length) rowEnds.push(0);
    }
    rowEnds[row] = op.x2;
    return { ...op, row };
  });
  const opRows = Math.max(1, rowEnds.length);

  // Milestones on one line; labels go to the first row where they do not overlap a neighbour.
  const restored = ms(r.serviceRestoredAt);
  const milestones: [string, number | undefined, string][] = [
    ["Corruption", ms(r.rpo.corruptionTime), "#8e0000"],
    ["Recovery point", ms(r.rpo.recoveryPoint), "#1565c0"],
    ["Detected", ms(r.detectedAt), "#c62828"],
    ["Opened", ms(r.openedAt), "#37474f"],
    ["Service restored", restored, "#2e7d32"],
    ["Closed", ms(r.closedAt), "#37474f"],
  ];
  const labelEnds: number[] = [];
  const labels = milestones
    .filter((m): m is [string, number, string] => m[1] !== undefined)
    .sort((a, b) => a[1] - b[1])
    .map(([label, t, color]) => {
      const px = x(t);
      const text = `${label} ${fmtClock(new Date(t).toISOString())}`;
      // Bold 11 px text: wide letters and digits run to ~7 px; measured generously so neighbours never touch.
      const width = text.length * 7.2;
      const anchorEnd = px + width > W - 4;
      const left = anchorEnd ? px - width : px - 4;
      // A label takes the first row it fits in; there is always a new row (six milestones at most).
      let row = labelEnds.findIndex((end) => end + 10 <= left);
      if (row === -1) row = labelEnds.length;
      labelEnds[row] = left + width;
      return { label, t, color, px, text, anchorEnd, row };
    });

  const yAxis = 30;
  const yMilestones = 66;
  const yOps = yMilestones + 22 + Math.max(1, labelEnds.length) * 15 + 8;
  const opH = 14;
  const yOperator = yOps + opRows * (opH + 4) + 22;
  const yLegend = yOperator + 28;
  const H = yLegend + 14;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Incident timeline" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`,
  );
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`);

  // Axis with round ticks.
  const spanMin = (t1 - t0) / 60_000;
  const step = (STEPS_MIN.find((s) => spanMin / s <= 10) ?? 2880) * 60_000;
  const plotBottom = yOperator + 12;
  out.push(`<line x1="${LEFT}" y1="${yAxis}" x2="${W - RIGHT}" y2="${yAxis}" stroke="#90a4ae"/>`);
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const px = x(t).toFixed(1);
    out.push(`<line x1="${px}" y1="${yAxis - 4}" x2="${px}" y2="${plotBottom}" stroke="#eceff1"/>`);
    out.push(
      `<text x="${px}" y="${yAxis - 8}" text-anchor="middle" fill="#546e7a">${fmtClock(new Date(t).toISOString()).slice(0, 5)}</text>`,
    );
  }

  // RTO window (detection to restored, or to now/close while the clock runs) and the target line.
  const windowEnd = restored ?? ms(r.closedAt) ?? Math.min(Date.now(), t1);
  out.push(
    `<rect x="${x(from).toFixed(1)}" y="${yAxis + 1}" width="${Math.max(1, x(windowEnd) - x(from)).toFixed(1)}" height="${plotBottom - yAxis - 1}" fill="${restored ? (r.rto.met ? "#e8f5e9" : "#ffebee") : "#fff8e1"}"><title>RTO clock: ${esc(formatDuration(windowEnd - from))}</title></rect>`,
  );
  // The target's label has its own line under the axis, clear of the milestone diamonds.
  const targetAt = from + r.targets.rtoMinutes * 60_000;
  const targetText = `RTO target ${r.targets.rtoMinutes} min (${fmtClock(new Date(targetAt).toISOString()).slice(0, 5)})`;
  if (targetAt <= t1) {
    const target = x(targetAt);
    out.push(
      `<line x1="${target.toFixed(1)}" y1="${yAxis}" x2="${target.toFixed(1)}" y2="${plotBottom}" stroke="#c62828" stroke-dasharray="5 4"/>`,
    );
    const nearRight = target > W - RIGHT - targetText.length * 6.5;
    out.push(
      `<text x="${(target + (nearRight ? -5 : 5)).toFixed(1)}" y="${yAxis + 16}" text-anchor="${nearRight ? "end" : "start"}" fill="#c62828">${esc(targetText)}</text>`,
    );
  } else {
    out.push(
      `<text x="${W - RIGHT}" y="${yAxis + 16}" text-anchor="end" fill="#c62828">${esc(targetText)}: later than shown →</text>`,
    );
  }

  // Lane labels.
  out.push(`<text x="10" y="${yMilestones + 4}" font-weight="600" fill="#37474f">Milestones</text>`);
  out.push(`<text x="10" y="${yOps + 10}" font-weight="600" fill="#37474f">Operations</text>`);
  out.push(`<text x="10" y="${yOperator + 4}" font-weight="600" fill="#37474f">Operator</text>`);

  // Milestones seconds apart (recovery point and corruption) would hide each other's diamond: stack them upwards.
  let lastPx = -Infinity;
  let stack = 0;
  for (const m of labels) {
    stack = m.px - lastPx < 12 ? stack + 1 : 0;
    lastPx = m.px;
    const dy = -stack * 12;
    const ly = yMilestones + 22 + m.row * 15;
    out.push(
      `<line x1="${m.px.toFixed(1)}" y1="${yMilestones}" x2="${m.px.toFixed(1)}" y2="${ly - 9}" stroke="${m.color}" stroke-width="1" opacity="0.5"/>`,
    );
    out.push(
      `<path d="M${m.px.toFixed(1)} ${yMilestones - 6 + dy} l6 6 l-6 6 l-6 -6 z" fill="${m.color}"><title>${esc(m.label)}: ${esc(new Date(m.t).toISOString())}</title></path>`,
    );
    out.push(
      `<text x="${(m.anchorEnd ? m.px : m.px - 4).toFixed(1)}" y="${ly}" text-anchor="${m.anchorEnd ? "end" : "start"}" fill="${m.color}" font-weight="600">${esc(m.text)}</text>`,
    );
  }

  for (const p of placed) {
    const y = yOps + p.row * (opH + 4);
    const c = COLORS[p.o.outcome] ?? COLORS.info;
    const tip = `${p.o.kind} — ${p.o.outcome}${p.o.durationMs !== undefined ? `, ${formatDuration(p.o.durationMs)}` : ""}: ${p.o.summary}${p.o.error ? ` (${p.o.error})` : ""}`;
    out.push(
      `<rect x="${p.x1.toFixed(1)}" y="${y}" width="${(p.x2 - p.x1).toFixed(1)}" height="${opH}" rx="3" fill="${c}"><title>${esc(tip)}</title></rect>`,
    );
    if (p.x2 - p.x1 > 60) {
      const room = Math.floor((p.x2 - p.x1 - 8) / 6.2);
      const label = p.o.kind.length > room ? `${p.o.kind.slice(0, Math.max(0, room - 1))}…` : p.o.kind;
      out.push(`<text x="${(p.x1 + 4).toFixed(1)}" y="${y + 11}" fill="#fff">${esc(label)}</text>`);
    }
  }
  if (r.operations.length > MAX_OPS)
    out.push(
      `<text x="${W - RIGHT}" y="${yOps - 6}" text-anchor="end" fill="#78909c">first ${MAX_OPS} of ${r.counts.operations} operations shown</text>`,
    );

  const ticks: [string, string | undefined, string, string][] = [
    ...r.decisions.map((d) => ["decision", d.ts, "#6a1b9a", d.text] as [string, string, string, string]),
    ...r.notes.map((n) => ["note", n.ts, "#1565c0", n.text] as [string, string, string, string]),
    ...r.checklist
      .filter((c) => c.done)
      .map((c) => ["checklist", c.at, "#2e7d32", c.item] as [string, string | undefined, string, string]),
  ].slice(0, 400);
  for (const [what, ts, color, text] of ticks) {
    const t = ms(ts);
    if (t === undefined) continue;
    const px = x(t).toFixed(1);
    const shape =
      what === "decision"
        ? `<rect x="${Number(px) - 5}" y="${yOperator - 5}" width="10" height="10" transform="rotate(45 ${px} ${yOperator})"`
        : what === "checklist"
          ? `<path d="M${Number(px) - 5} ${yOperator} l4 4 l7 -8" stroke="${color}" stroke-width="2.5" fill="none"`
          : `<circle cx="${px}" cy="${yOperator}" r="5"`;
    out.push(
      `${shape} fill="${what === "checklist" ? "none" : color}"><title>${esc(`${what}: ${text}`)}</title>${shape.startsWith("<path") ? "</path>" : shape.startsWith("<rect") ? "</rect>" : "</circle>"}`,
    );
  }

  // Legend.
  const legend: [string, string][] = [
    ["ok", COLORS.ok!],
    ["failed", COLORS.failed!],
    ["refused", COLORS.refused!],
    ["outcome unknown", COLORS.unknown!],
    ["cancelled", COLORS.cancelled!],
    ["no end recorded", COLORS.started!],
    ["note", "#1565c0"],
    ["decision", "#6a1b9a"],
    ["checklist item", "#2e7d32"],
  ];
  let lx = LEFT;
  for (const [label, color] of legend) {
    out.push(
      `<rect x="${lx}" y="${yLegend - 9}" width="10" height="10" rx="2" fill="${color}"/><text x="${lx + 14}" y="${yLegend}" fill="#546e7a">${esc(label)}</text>`,
    );
    lx += 26 + label.length * 6.2;
  }
  out.push(`</svg>`);
  return out.join("\n");
}

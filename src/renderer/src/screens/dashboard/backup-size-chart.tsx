// Backup size over time (recharts). A sudden drop is what the MEDIUM "possible data loss" alert is about, so the
// chart is there to let the operator see it. The figure's label gives the numbers to screen-reader users.
import { formatBytes, formatTime } from "../../../../shared/format.ts";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface SizePoint {
  id: string;
  finishedAt: string;
  bytes: number;
}

export function BackupSizeChart({ sizes, profile }: { sizes: SizePoint[]; profile: string }) {
  if (sizes.length === 0) return <p className="muted">No backups yet, so no sizes to chart.</p>;
  const data = sizes.map((s) => ({
    day: s.finishedAt.slice(5, 16).replace("T", " "),
    at: s.finishedAt,
    bytes: s.bytes,
    id: s.id,
  }));
  const last = sizes[sizes.length - 1]!;
  const label = `Backup size over time for ${profile}: ${sizes.length} backups, latest ${formatBytes(last.bytes)} at ${formatTime(last.finishedAt)}`;
  return (
    <figure role="img" aria-label={label} style={{ margin: 0, height: 150 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" stroke="var(--text-muted)" fontSize={12} minTickGap={24} />
          <YAxis tickFormatter={(b: number) => formatBytes(b)} width={64} stroke="var(--text-muted)" fontSize={12} />
          <Tooltip
            cursor={{ fill: "var(--surface-2)" }}
            labelFormatter={(_, payload) => formatTime((payload?.[0]?.payload as { at?: string } | undefined)?.at)}
            formatter={(b) => [formatBytes(Number(b)), "Size"]}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" }}
          />
          <Bar dataKey="bytes" fill="var(--chart)" maxBarSize={48} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

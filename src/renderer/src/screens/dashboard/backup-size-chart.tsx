// Backup size over time (recharts). A sudden drop is what the MEDIUM "possible data loss" alert is about, so the
// chart is there to let the operator see it. The figure's label gives the numbers to screen-reader users.
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes, formatTime } from "../../lib/format.ts";

export interface SizePoint {
  id: string;
  finishedAt: string;
  bytes: number;
}

export function BackupSizeChart({ sizes, profile }: { sizes: SizePoint[]; profile: string }) {
  if (sizes.length === 0) return <p className="muted">No backups yet, so no sizes to chart.</p>;
  const data = sizes.map((s) => ({ t: Date.parse(s.finishedAt), bytes: s.bytes, id: s.id }));
  const last = sizes[sizes.length - 1]!;
  const label = `Backup size over time for ${profile}: ${sizes.length} backups, latest ${formatBytes(last.bytes)} at ${formatTime(last.finishedAt)}`;
  return (
    <figure role="img" aria-label={label} style={{ margin: 0, height: 150 }}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => new Date(t).toISOString().slice(5, 10)} stroke="var(--text-muted)" fontSize={12} />
          <YAxis tickFormatter={(b: number) => formatBytes(b)} width={64} stroke="var(--text-muted)" fontSize={12} />
          <Tooltip
            labelFormatter={(t) => formatTime(new Date(Number(t)).toISOString())}
            formatter={(b) => [formatBytes(Number(b)), "Size"]}
            contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", color: "var(--text)" }}
          />
          <Area type="monotone" dataKey="bytes" stroke="var(--chart)" fill="var(--chart)" fillOpacity={0.25} strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

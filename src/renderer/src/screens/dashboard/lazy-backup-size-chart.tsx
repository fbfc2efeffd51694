// recharts is most of the bundle's weight: it loads after the dashboard's first paint, in its own chunk.
import { lazy, Suspense } from "react";
import type { SizePoint } from "./backup-size-chart.tsx";

const Chart = lazy(async () => ({ default: (await import("./backup-size-chart.tsx")).BackupSizeChart }));

export function LazyBackupSizeChart(props: { sizes: SizePoint[]; profile: string }) {
  return (
    <Suspense fallback={<div style={{ height: 150 }} aria-hidden="true" />}>
      <Chart {...props} />
    </Suspense>
  );
}

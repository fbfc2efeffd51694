export const RESTORE_STEPS = [
  "Source",
  "Target",
  "Pre-flight checks",
  "Progress",
  "Verification",
  "Next steps",
] as const;

export function RestoreStepper({ current }: { current: number }) {
  return (
    <ol className="stepper" aria-label="Restore steps">
      {RESTORE_STEPS.map((s, i) => (
        <li
          key={s}
          aria-current={i === current ? "step" : undefined}
          className={i < current ? "done" : i === current ? "current" : ""}
        >
          <span className="stepper-n">{i + 1}</span> {s}
        </li>
      ))}
    </ol>
  );
}

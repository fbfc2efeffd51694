import { useId, type ReactNode } from "react";

/** A titled region; its heading names it for screen readers and for tests (`getByRole("region", { name })`). */
export function Card({
  title,
  children,
  className,
  actions,
}: {
  title: string;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
}) {
  const id = useId();
  return (
    <section className={`card ${className ?? ""}`} aria-labelledby={id}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={id}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

import { useId, type ReactNode, type Ref } from "react";

/** A titled region; its heading names it for screen readers and for tests (`getByRole("region", { name })`). */
export function Card({
  title,
  children,
  className,
  actions,
  headingRef,
}: {
  title: string;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
  /** For moving the keyboard focus to this card's heading (a wizard's new step). */
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  const id = useId();
  return (
    <section className={`card ${className ?? ""}`} aria-labelledby={id}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id={id} ref={headingRef} tabIndex={headingRef ? -1 : undefined}>
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

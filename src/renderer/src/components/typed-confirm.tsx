// The guard in front of every write into production: the operator types the target's name. The button stays disabled
// until it matches exactly, and it is red.
import { useId, useState } from "react";

export interface TypedConfirmProps {
  title: string;
  warning: string;
  expected: string;
  inputLabel: string;
  actionLabel: string;
  busy?: boolean;
  onConfirm: (typed: string) => void;
}

export function TypedConfirm({
  title,
  warning,
  expected,
  inputLabel,
  actionLabel,
  busy,
  onConfirm,
}: TypedConfirmProps) {
  const [typed, setTyped] = useState("");
  const id = useId();
  const matches = typed === expected && expected !== "";
  return (
    <div className="danger-zone stack" role="group" aria-labelledby={`${id}-t`}>
      <h3 id={`${id}-t`}>{title}</h3>
      <p>
        <strong>{warning}</strong> Type <code>{expected}</code> to confirm.
      </p>
      <div className="field">
        <label htmlFor={id}>{inputLabel}</label>
        <input
          id={id}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </div>
      <div>
        <button type="button" className="btn danger" disabled={!matches || busy} onClick={() => onConfirm(typed)}>
          {actionLabel}
        </button>
      </div>
    </div>
  );
}

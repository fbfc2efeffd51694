import { useId, useState } from "react";

/** Moving past a step is allowed (an outage must never be trapped by a tool) but it is journaled with a reason. */
export function SkipControl({ onSkip, label }: { onSkip: (reason: string) => void; label: string }) {
  const [reason, setReason] = useState("");
  const id = useId();
  return (
    <div className="row" style={{ alignItems: "flex-end" }}>
      <div className="field" style={{ flex: 1, minWidth: "14rem" }}>
        <label htmlFor={id}>Reason for skipping</label>
        <input id={id} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <button type="button" className="btn quiet" disabled={!reason.trim()} onClick={() => onSkip(reason)}>
        {label}
      </button>
    </div>
  );
}

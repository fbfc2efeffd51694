/** The seed's manual command for this step: what to do by hand if Lifeboat cannot reach something. */
export function StepReference({ text }: { text: string }) {
  return (
    <details>
      <summary>Manual command from the runbook</summary>
      <pre>{text}</pre>
    </details>
  );
}

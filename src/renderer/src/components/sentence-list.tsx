// Sentences (failures, things still to do) under a heading; nothing at all when there are none.
export function SentenceList({ label, items }: { label: string; items: readonly unknown[] }) {
  if (!items.length) return null;
  return (
    <section aria-label={label}>
      <h4>{label}</h4>
      <ul>
        {items.map((item, i) => (
          <li key={i}>{String(item)}</li>
        ))}
      </ul>
    </section>
  );
}

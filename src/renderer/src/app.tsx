/** Placeholder until the console screens land: the renderer talks to the engine only through the typed bridge. */
export function App() {
  return (
    <main>
      <h1>Lifeboat</h1>
      <p>The operator console is being built. Use the <code>lifeboat</code> CLI meanwhile.</p>
    </main>
  );
}

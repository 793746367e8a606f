/** Placeholder page until the playground UI lands. */
export function App() {
  return (
    <main>
      <h1>Copyright regression playground</h1>
      <p>The interactive playground is being built. The float64 engine and CLI are available now.</p>
    </main>
  );
}

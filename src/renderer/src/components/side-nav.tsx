import { SCREEN_LABELS, SCREENS, useApp } from "../app-context.tsx";

export function SideNav() {
  const { screen, go } = useApp();
  return (
    <nav className="sidenav" aria-label="Screens">
      <ul>
        {SCREENS.map((s) => (
          <li key={s}>
            <button type="button" aria-current={screen === s ? "page" : undefined} onClick={() => go(s)}>
              {SCREEN_LABELS[s]}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

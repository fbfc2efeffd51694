import { test } from "node:test";
import assert from "node:assert/strict";
import { renderToStaticMarkup } from "react-dom/server";
import { HistoryWindowBar } from "../../../../src/renderer/src/screens/dashboard/history-window-bar.tsx";

const end = "2026-01-17T12:00:00Z";

test("a window as long as required fills the bar and is not flagged", () => {
  const html = renderToStaticMarkup(
    <HistoryWindowBar
      window={{ start: "2026-01-10T12:00:00Z", end, retentionSeconds: 7 * 86400, requiredSeconds: 7 * 86400 }}
    />,
  );
  assert.match(
    html,
    /aria-label="Neon history window: can restore back to 2026-01-10 12:00:00 UTC \(7 d\); required 7 d"/,
  );
  assert.match(html, /class="window " style="width:100%"/);
  assert.doesNotMatch(html, /shorter than required/i);
});

test("a window shorter than required is drawn to scale, amber, and says so in words", () => {
  const html = renderToStaticMarkup(
    <HistoryWindowBar
      window={{ start: "2026-01-16T12:00:00Z", end, retentionSeconds: 86400, requiredSeconds: 7 * 86400 }}
    />,
  );
  assert.match(html, /class="window short" style="width:14.28/);
  assert.match(html, /SHORTER THAN REQUIRED/);
  assert.match(html, /1 d of history · required 7 d · shorter than required/);
});

// Browsers cap how tall an element may be (Chrome ~33.5M px, Firefox ~17.9M px). A million journal rows at 32 px is
// 32M px, so the list's scroll space is compressed: the spacer is at most MAX_SCROLL_PX tall and a real scroll offset
// maps linearly onto the virtual one. Rows are still laid out at their virtual positions, shifted into view.

export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollScale {
  /** Height of the spacer element. */
  realSize: number;
  /** virtual offset = real offset × ratio (1 when nothing is compressed). */
  ratio: number;
}

export function scrollScale(virtualSize: number, viewport: number, max = MAX_SCROLL_PX): ScrollScale {
  if (virtualSize <= max || viewport >= max) return { realSize: virtualSize, ratio: 1 };
  // Both ends must line up: real 0 ↔ virtual 0, and the last real scroll position ↔ the last virtual one.
  return { realSize: max, ratio: (virtualSize - viewport) / (max - viewport) };
}

/** Where a row whose virtual start is `start` goes inside the real spacer, given the current virtual offset. */
export function realTop(start: number, virtualOffset: number, ratio: number): number {
  return start - virtualOffset + virtualOffset / ratio;
}

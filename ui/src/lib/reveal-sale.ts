/**
 * The customer page opened on a piece the search found: the sale is brought into view and marked
 * for a moment (`data-sale-focus`, styled in app.css). The timeline marks each sale's element
 * with `data-kind="purchase"` and `data-id` (the purchase's id); this is the one place that
 * relies on it.
 */

/** How long the sale stays marked, in milliseconds. */
export const SALE_FOCUS_MS = 2400;

export function saleElement(root: ParentNode, purchaseId: number): HTMLElement | null {
  return root.querySelector<HTMLElement>(`[data-kind="purchase"][data-id="${purchaseId}"]`);
}

/** Frames to wait for the sale's row: the virtualised timeline draws it once scrolled near it. */
const FRAMES_TO_WAIT = 30;

/**
 * Scrolls the sale to the middle of the view once the page has drawn it, and marks it; false
 * when it is not on the page within `FRAMES_TO_WAIT` frames. The timeline first scrolls near it
 * (its rows are drawn only near the view).
 */
export function revealSale(root: ParentNode, purchaseId: number): Promise<boolean> {
  return new Promise((resolve) => {
    let frames = 0;
    // After a frame at least: the page focuses its heading when it shows, which would scroll back up.
    const attempt = () => {
      const sale = saleElement(root, purchaseId);
      if (!sale) {
        frames += 1;
        if (frames < FRAMES_TO_WAIT) requestAnimationFrame(attempt);
        else resolve(false);
        return;
      }
      sale.scrollIntoView({ block: 'center' });
      sale.dataset.saleFocus = '';
      setTimeout(() => delete sale.dataset.saleFocus, SALE_FOCUS_MS);
      resolve(true);
    };
    requestAnimationFrame(attempt);
  });
}

import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/svelte';
import { afterEach, beforeEach } from 'vitest';
import { setBookRegion, setUiLanguage } from '../lib/i18n/index.svelte';
import { screens } from '../lib/screens';
import { forgetTimelineView } from '../lib/timeline-view.svelte';

// The screens the window loads when first shown, loaded before any test as they were when the
// app imported them: a test finds a screen as soon as the window would show it, not after a
// first compile of its modules. The insights' charts stay loaded on demand, as its tests expect.
await Promise.all(
  Object.entries(screens)
    .filter(([name]) => name !== 'insights')
    .map(([, load]) => load()),
);

// A British dealer's machine: English dates as "17 May", money in £.
Object.defineProperty(window.navigator, 'language', { configurable: true, get: () => 'en-GB' });

// jsdom lays nothing out; give the list's scroll container and the page's (main) a viewport
// so the virtualizers render a screenful of rows, as in the real window.
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.dataset.testid === 'customer-list' || this.id === 'main' ? 720 : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
  configurable: true,
  get(this: HTMLElement) {
    return this.dataset.testid === 'customer-list' || this.id === 'main' ? 1200 : 0;
  },
});
Element.prototype.scrollTo = function scrollTo(this: Element, ...args: unknown[]) {
  const opts = args[0] as ScrollToOptions | undefined;
  if (opts && typeof opts.top === 'number') (this as HTMLElement).scrollTop = opts.top;
};

// Nothing to scroll in a page that is not laid out; tests spy on it to see what was brought into view.
Element.prototype.scrollIntoView = function scrollIntoView() {};

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  setUiLanguage('en');
  setBookRegion('');
});

afterEach(() => {
  cleanup();
  forgetTimelineView();
});

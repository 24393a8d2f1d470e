// Ordered steps over one running app: each is a node:test test; a failure saves a screenshot
// and the page text, and the steps that need it fail with a message naming it (never skip).

import { test } from 'node:test';
import { recordFailure } from './harness.mjs';

export function stepper(getBrowser) {
  const passed = new Set();
  return function step(name, { needs = [], timeout = 120_000 } = {}, fn) {
    test(name, { timeout }, async () => {
      const missing = needs.filter((n) => !passed.has(n));
      if (missing.length) throw new Error(`cannot check this: it needs ${missing.map((n) => `"${n}"`).join(', ')}, which did not pass`);
      const browser = getBrowser();
      if (!browser) throw new Error('the app is not running (see the first failure above)');
      try {
        await fn(browser);
      } catch (error) {
        throw await recordFailure(getBrowser() ?? browser, name, error);
      }
      passed.add(name);
    });
  };
}

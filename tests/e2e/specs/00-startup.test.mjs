// The app starts under Xvfb on a fresh book and a WebDriver session reaches its window.
// Everything else builds on this; when it fails, the message carries the app's own output.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchApp, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';

let dir;
let app;

before(async () => {
  dir = tempBookDir('startup');
  app = await launchApp(path.join(dir, 'book.sqlite3'));
});

after(async () => {
  await app?.close();
  if (dir) removeDir(dir);
});

test('the Loupe window opens on the book named by LOUPE_DB', async () => {
  const title = await app.browser.getTitle();
  assert.match(title, /Loupe/, `window title is ${JSON.stringify(title)}`);
  const bodyLength = await app.browser.execute(() => document.body?.innerHTML.length ?? 0);
  assert.ok(bodyLength > 0, 'the page has no body content');
  await screenshot(app.browser, '00-start.png');
  // The app opened (and so created) the temporary book, not the user's.
  assert.ok(existsSync(app.db), `the app did not create its book at LOUPE_DB=${app.db}`);
});

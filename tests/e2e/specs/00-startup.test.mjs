// The app starts under Xvfb on a fresh book and a WebDriver session reaches its window.
// Everything else builds on this; when it fails, the message carries the app's own output.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, launchApp, recordFailure, removeDir, screenshot, tempBookDir } from '../lib/harness.mjs';
import { click, shown, textUntil } from '../lib/ui.mjs';

let dir;
let app;

before(async () => {
  dir = tempBookDir('startup');
  app = await launchApp(path.join(dir, 'book.sqlite3'), { env: { LOUPE_OPENED_FILE: path.join(dir, 'opened.txt') } });
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

test('Settings → About shows the version and the schema, and opens the log folder', async () => {
  const browser = app.browser;
  const version = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tauri.conf.json'), 'utf8')).version;
  const schema = readdirSync(path.join(REPO_ROOT, 'src-tauri', 'core', 'migrations')).filter((f) => f.endsWith('.sql')).length;
  try {
    await click(browser, 'settings-button');
    await click(browser, 'settings-tab-about');
    await textUntil(browser, 'about-version', (t) => t === `Loupe ${version}`, `to show Loupe ${version}`);
    await textUntil(browser, 'about-schema', (t) => t === String(schema), `to show schema ${schema}`);
    await textUntil(browser, 'about-book-path', (t) => t === app.db, `to show the book ${app.db}`);
    await screenshot(browser, '00-about.png');
    // A test build records the request instead of opening a file manager.
    await click(browser, 'about-open-logs');
    const opened = await shown(browser, 'about-logs-opened');
    await browser.waitUntil(async () => existsSync(path.join(dir, 'opened.txt')), { timeoutMsg: 'the log folder was not asked for' });
    const folder = readFileSync(path.join(dir, 'opened.txt'), 'utf8').trim();
    assert.match(folder, /\/app\.loupe\.desktop\/logs$/, `the folder asked for: ${folder}`);
    assert.ok((await opened.getText()).includes(folder), 'the window does not say which folder it opened');
  } catch (error) {
    throw await recordFailure(browser, 'settings-about', error);
  }
});

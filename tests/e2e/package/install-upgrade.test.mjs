// The Debian package as a dealer gets it (`make test`'s package stage, LOUPE_E2E_DEB): installed
// with apt-get as root, the INSTALLED window started through tauri-driver in a throwaway HOME
// (so nobody's own book is touched) adds a customer that the installed `loupe stats` counts in the
// same data folder; a newer .deb then upgrades it over a book left at an older schema, which
// keeps its customer and is migrated; removing the package leaves the books. The package is
// removed at the end whatever happened, so the machine is left as found.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { APP_BINARY, CLI_BINARY, PACKAGE_DEB, REPO_ROOT, launchApp, recordFailure, screenshot, tempBookDir } from '../lib/harness.mjs';
import { click, shown, texts, textUntil, typeInto } from '../lib/ui.mjs';

const PACKAGE = 'loupe';
const ADDED = 'Zoë Package-王';
const OLD_CUSTOMER = 'Olga Oldbook';
const MIGRATIONS = path.join(REPO_ROOT, 'src-tauri', 'core', 'migrations');
/** Makes a book at an older schema (src-tauri/core/examples/book_at_schema.rs; the Makefile builds it). */
const BOOK_AT_SCHEMA = process.env.LOUPE_E2E_BOOK_AT_SCHEMA;

const sudo = process.getuid() === 0 ? [] : ['sudo', '-n'];

/** Runs a command and returns its stdout; throws with its output when it fails. */
function run(command, args, { env = { ...process.env }, asRoot = false } = {}) {
  const argv = asRoot ? [...sudo, command, ...args] : [command, ...args];
  const result = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) throw new Error(`${argv.join(' ')} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

const installedVersion = () => {
  const result = spawnSync('dpkg-query', ['-W', '-f', '${Status} ${Version}', PACKAGE], { encoding: 'utf8' });
  const match = /install ok installed (\S+)/.exec(result.stdout ?? '');
  return match ? match[1] : null;
};
const install = (deb) => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', deb], { asRoot: true });

/** The installed `loupe` in a home of its own: the book it finds is that home's default one. */
function installedCli(home, args) {
  const env = { ...process.env, HOME: home };
  for (const name of ['LOUPE_DB', 'XDG_DATA_HOME']) delete env[name];
  return run(CLI_BINARY, args, { env });
}

const bookIn = (home) => path.join(home, '.local', 'share', 'app.loupe.desktop', 'loupe.sqlite3');
const latestSchema = readdirSync(MIGRATIONS).filter((f) => /^\d{4}_.*\.sql$/.test(f)).length;

const homes = [];
let app;

before(() => {
  assert.ok(PACKAGE_DEB, 'LOUPE_E2E_DEB is not set: run this through `make package-test`');
  assert.ok(BOOK_AT_SCHEMA && existsSync(BOOK_AT_SCHEMA), `LOUPE_E2E_BOOK_AT_SCHEMA (${BOOK_AT_SCHEMA}) is not the built example: run this through \`make package-test\``);
  const found = installedVersion();
  if (found) {
    throw new Error(
      `${PACKAGE} ${found} is already installed here; this test installs and removes the package, ` +
        `so it refuses to replace yours: remove it first (sudo apt remove ${PACKAGE})`,
    );
  }
  const size = statSync(PACKAGE_DEB).size;
  console.log(`# package: ${path.basename(PACKAGE_DEB)}, ${(size / 2 ** 20).toFixed(1)} MiB (${size} bytes)`);
});

after(async () => {
  await app?.close();
  // Leave the machine as found: the package goes, whatever failed.
  if (installedVersion()) {
    try {
      run('dpkg', ['-r', PACKAGE], { asRoot: true });
    } catch (error) {
      console.error(`*** could not remove the package ${PACKAGE}: ${error.message}`);
    }
  }
});

test('the .deb installs the window with its icon and menu entry, and the loupe command', () => {
  const version = run('dpkg-deb', ['-f', PACKAGE_DEB, 'Version']).trim();
  const depends = run('dpkg-deb', ['-f', PACKAGE_DEB, 'Depends']);
  assert.match(depends, /\bfonts-noto-cjk\b/, `the package does not depend on fonts-noto-cjk: ${depends}`);
  assert.match(depends, /\blibwebkit2gtk-4\.1-0\b/, `the package does not depend on WebKitGTK: ${depends}`);
  install(PACKAGE_DEB);
  assert.equal(installedVersion(), version);
  for (const file of [
    APP_BINARY,
    CLI_BINARY,
    '/usr/share/applications/Loupe.desktop',
    '/usr/share/icons/hicolor/128x128/apps/loupe-desktop.png',
    '/usr/share/icons/hicolor/256x256/apps/loupe-desktop.png',
  ]) {
    assert.ok(existsSync(file), `the package did not install ${file}`);
  }
  const entry = readFileSync('/usr/share/applications/Loupe.desktop', 'utf8');
  assert.match(entry, /^Exec=loupe-desktop$/m, `the menu entry does not start loupe-desktop:\n${entry}`);
  assert.match(entry, /^Icon=loupe-desktop$/m, `the menu entry has not the icon:\n${entry}`);
  // A dealer's window opens real dialogs: the test stand-ins must not be in the package.
  assert.ok(!readFileSync(APP_BINARY).includes('LOUPE_IMPORT_FILE'), `${APP_BINARY} was built with the e2e hooks`);
  assert.match(installedCli('/nonexistent', ['--version']), new RegExp(`^loupe ${version.replaceAll('.', '\\.')}\\b`));
});

test('the installed window adds a customer that the installed loupe command counts', async () => {
  assert.ok(installedVersion(), 'the package is not installed (see the first failure)');
  const home = tempBookDir('package-home');
  homes.push(home);
  const db = bookIn(home);
  app = await launchApp(db, { home });
  const browser = app.browser;
  try {
    await shown(browser, 'empty-state');
    await click(browser, 'new-customer-button');
    await shown(browser, 'customer-form');
    await typeInto(browser, 'field-full_name', ADDED);
    await click(browser, 'save-customer');
    await textUntil(browser, 'customer-name', (t) => t.includes(ADDED), `to show ${JSON.stringify(ADDED)}`);
    await screenshot(browser, 'package-added.png');
  } catch (error) {
    throw await recordFailure(browser, 'package-add-customer', error);
  }
  await app.close();
  app = null;
  assert.ok(existsSync(db), `the installed app did not keep its book in ${db}`);
  const stats = JSON.parse(installedCli(home, ['stats', '--json']));
  assert.equal(stats.customers, 1, `loupe stats in ${home}: ${JSON.stringify(stats)}`);
  const found = installedCli(home, ['customers', 'search', 'Package', '--json']);
  assert.ok(found.includes(ADDED), `the installed loupe does not find ${ADDED}: ${found.slice(0, 300)}`);
});

/** The first .deb again with a higher version: what the next release's package is to dpkg. */
function newerPackage(dir) {
  const tree = path.join(dir, 'tree');
  run('dpkg-deb', ['-R', PACKAGE_DEB, tree]);
  const control = path.join(tree, 'DEBIAN', 'control');
  const text = readFileSync(control, 'utf8');
  const version = /^Version: (\S+)$/m.exec(text)[1];
  const newer = `${version}+upgrade1`;
  writeFileSync(control, text.replace(/^Version: \S+$/m, `Version: ${newer}`));
  const deb = path.join(dir, `loupe_${newer}_amd64.deb`);
  // Uncompressed: the test installs it once, and compressing 100 MB would cost a minute.
  run('dpkg-deb', ['-Znone', '--root-owner-group', '-b', tree, deb]);
  run('dpkg', ['--compare-versions', newer, 'gt', version]);
  return { deb, newer };
}

test('a newer .deb upgrades the package, keeps a book of an older schema and migrates it', async () => {
  assert.ok(installedVersion(), 'the package is not installed (see the first failure)');
  const work = tempBookDir('package-upgrade');
  const { deb, newer } = newerPackage(work);

  // A book as an older Loupe left it: the migrations but the last (their hooks have nothing to
  // do on an empty book), then one customer written at that schema.
  const home = tempBookDir('package-old-home');
  homes.push(home);
  const db = bookIn(home);
  mkdirSync(path.dirname(db), { recursive: true, mode: 0o700 });
  const older = latestSchema - 1;
  run(BOOK_AT_SCHEMA, [db, String(older)]);
  run('sqlite3', [
    db,
    `INSERT INTO customers (full_name, sort_name, customer_type, created_at, updated_at)
       VALUES ('${OLD_CUSTOMER}', 'olga oldbook', 'retail', '2025-03-01T10:00:00+00:00', '2025-03-01T10:00:00+00:00')`,
  ]);
  assert.equal(run('sqlite3', [db, 'PRAGMA user_version']).trim(), String(older));

  install(deb);
  assert.equal(installedVersion(), newer, 'the newer package did not replace the first');

  app = await launchApp(db, { home });
  const browser = app.browser;
  try {
    await browser.waitUntil(async () => (await texts(browser, 'customer-row')).some((t) => t.includes(OLD_CUSTOMER)), {
      timeoutMsg: `the upgraded app does not list ${OLD_CUSTOMER} from the older book`,
    });
    await screenshot(browser, 'package-upgraded.png');
    // Settings → About of the installed app: its version (the newer package holds the same
    // binaries as the first), the book at the latest schema.
    const version = run('dpkg-deb', ['-f', PACKAGE_DEB, 'Version']).trim();
    await click(browser, 'settings-button');
    await click(browser, 'settings-tab-about');
    await textUntil(browser, 'about-version', (t) => t === `Loupe ${version}`, `to show Loupe ${version}`);
    await textUntil(browser, 'about-schema', (t) => t === String(latestSchema), `to show schema ${latestSchema}`);
    await textUntil(browser, 'about-book-path', (t) => t === db, `to show the book ${db}`);
    await screenshot(browser, 'package-about.png');
  } catch (error) {
    throw await recordFailure(browser, 'package-upgrade', error);
  }
  await app.close();
  app = null;
  assert.equal(run('sqlite3', [db, 'PRAGMA user_version']).trim(), String(latestSchema), 'the book was not migrated');
  const stats = JSON.parse(installedCli(home, ['stats', '--json']));
  assert.equal(stats.customers, 1, `loupe stats after the upgrade: ${JSON.stringify(stats)}`);
});

test('removing the package takes the programs away and leaves the books', () => {
  assert.ok(installedVersion(), 'the package is not installed (see the first failure)');
  run('dpkg', ['-r', PACKAGE], { asRoot: true });
  assert.equal(installedVersion(), null, 'dpkg -r left the package installed');
  for (const file of [APP_BINARY, CLI_BINARY, '/usr/share/applications/Loupe.desktop']) {
    assert.ok(!existsSync(file), `removing the package left ${file}`);
  }
  assert.equal(homes.length, 2, 'both books were made (see the first failure)');
  for (const home of homes) assert.ok(existsSync(bookIn(home)), `removing the package took ${bookIn(home)}`);
});

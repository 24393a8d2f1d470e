// The e2e harness: starts tauri-driver (which starts WebKitWebDriver, which starts the real
// Loupe binary) against a temporary book, opens a WebDriver session, saves screenshots, and
// tears every process down again, also when a test fails or the run is interrupted.
//
// Nothing here skips: a missing tool or an app that does not start is a failure with a
// message that says what to install or what the app printed.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const ARTIFACTS = process.env.LOUPE_E2E_ARTIFACTS ?? path.join(E2E_DIR, 'artifacts');

/**
 * Explicit waits: how long an element may take to appear, and the whole-session startup. CI's
 * two cores run the webview, WebKitWebDriver and the app side by side, hence the longer wait.
 */
export const WAIT_MS = Number(process.env.LOUPE_E2E_WAIT_MS ?? (process.env.CI ? 20_000 : 10_000));
const STARTUP_MS = Number(process.env.LOUPE_E2E_STARTUP_MS ?? 30_000);
const SHOT_MS = 20_000;

const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
  : path.join(REPO_ROOT, 'target');
/**
 * `make test`'s package stage sets LOUPE_E2E_DEB to the .deb it built: the app and the CLI under
 * test are then the ones that package installs (the spec installs it), not the test build.
 */
export const PACKAGE_DEB = process.env.LOUPE_E2E_DEB ? path.resolve(process.env.LOUPE_E2E_DEB) : null;
const builtOrInstalled = (name) => (PACKAGE_DEB ? path.join('/usr/bin', name) : path.join(targetDir, 'debug', name));
export const APP_BINARY = path.resolve(process.env.LOUPE_E2E_APP ?? builtOrInstalled('loupe-desktop'));
export const CLI_BINARY = path.resolve(process.env.LOUPE_E2E_CLI ?? builtOrInstalled('loupe'));
const NATIVE_DRIVER = process.env.LOUPE_E2E_NATIVE_DRIVER ?? '/usr/bin/WebKitWebDriver';

/** Finds an executable on PATH (or ~/.cargo/bin, where `cargo install` puts tauri-driver). */
export function which(name) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  dirs.push(path.join(os.homedir(), '.cargo', 'bin'));
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Throws one message listing everything the e2e run needs and does not have. */
export function preflight({ needXvfb = false } = {}) {
  const missing = [];
  const build = 'cargo build -p loupe-desktop --features e2e-hooks';
  if (PACKAGE_DEB) {
    // The binaries come from the package, which the spec installs with apt-get (as root).
    if (!existsSync(PACKAGE_DEB)) missing.push(`the package ${PACKAGE_DEB} (make package-test builds it)`);
    for (const tool of ['dpkg', 'dpkg-deb', 'apt-get', 'sqlite3']) {
      if (!which(tool)) missing.push(`${tool} (the package test installs, repacks and upgrades a .deb on Debian)`);
    }
    if (process.getuid?.() !== 0 && !which('sudo')) missing.push('root or sudo (the package test installs the .deb)');
  } else if (!existsSync(APP_BINARY)) missing.push(`the app binary ${APP_BINARY} (build it with the dialogs' test stand-ins: ${build})`);
  // Without the `e2e-hooks` feature the app opens real dialogs, which nothing here can answer.
  else if (!readFileSync(APP_BINARY).includes('LOUPE_IMPORT_FILE'))
    missing.push(`an app binary built with the dialogs' test stand-ins: ${APP_BINARY} has none (${build})`);
  if (!PACKAGE_DEB && !existsSync(CLI_BINARY)) missing.push(`the CLI binary ${CLI_BINARY} (build it: cargo build -p loupe-cli)`);
  if (!which('tauri-driver')) missing.push('tauri-driver (install it: cargo install tauri-driver --locked)');
  if (!existsSync(NATIVE_DRIVER)) missing.push(`${NATIVE_DRIVER} (install it: apt-get install webkit2gtk-driver)`);
  if (needXvfb && !which('Xvfb')) missing.push('Xvfb (install it: apt-get install xvfb)');
  if (missing.length) {
    throw new Error(`E2E CANNOT RUN, missing:\n  - ${missing.join('\n  - ')}\nRun \`make test\`, which installs them.`);
  }
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Temporary directories still to remove, also when the run is interrupted. */
const tempDirs = new Set();

/** A fresh directory for this run's books; removed by `removeDir` or at exit. */
export function tempBookDir(label) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `loupe-e2e-${label}-`));
  tempDirs.add(dir);
  return dir;
}

/**
 * The webview's storage (where the window keeps its language) for this test file alone, as on
 * a clean machine: never what the developer's own window, a bench or another file chose.
 */
let webviewDataDir = null;
function webviewData() {
  webviewDataDir ??= tempBookDir('webview');
  return webviewDataDir;
}

/** Runs the headless `loupe` CLI (e.g. to fill a book with demo customers). */
export function loupeCli(args, { timeoutMs = 300_000, env = {} } = {}) {
  const result = spawnSync(CLI_BINARY, args, { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env } });
  if (result.error) throw new Error(`loupe ${args.join(' ')} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`loupe ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}

/**
 * Pids of live processes whose environment has `marker` (LOUPE_DB=<db>, or HOME=<home> for an
 * app on the default book of a throwaway home: tauri-driver, WebKitWebDriver and the app all
 * inherit it); with `appOnly`, just the app processes.
 */
function pidsWith(marker, { appOnly = false } = {}) {
  const needle = Buffer.from(`${marker}\0`);
  const appName = path.basename(APP_BINARY);
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`).includes(needle)) continue;
      if (appOnly && !path.basename(readlinkSync(`/proc/${entry}/exe`)).startsWith(appName)) continue;
      pids.push(Number(entry));
    } catch {
      // gone already, or not ours to read
    }
  }
  return pids;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every driver this process started, so an exit handler can still stop them. */
const liveDrivers = new Set();
process.on('exit', () => {
  for (const driver of liveDrivers) driver.killNow();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const driver of liveDrivers) driver.killNow();
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  });
}

/**
 * tauri-driver on free ports, with LOUPE_DB in its environment (WebKitWebDriver and the app
 * inherit it); or, given `home`, with HOME=<home> and no LOUPE_DB, so the app opens the default
 * book of that home (~/.local/share/app.loupe.desktop) as an installed app does. Started
 * detached, so its process group holds WebKitWebDriver too.
 */
export class Driver {
  /** `env`: extra variables for the app (e.g. LOUPE_IMPORT_FILE), besides LOUPE_DB. */
  constructor(db, env = {}, home = null) {
    this.db = db;
    this.env = env;
    this.home = home;
    this.marker = home ? `HOME=${home}` : `LOUPE_DB=${db}`;
    this.log = '';
    /** The binary the session launches: APP_BINARY unless set (the window bench's floor). */
    this.application = null;
  }

  appEnv() {
    const env = { ...process.env, ...this.env };
    if (!this.home) return { ...env, LOUPE_DB: this.db, XDG_DATA_HOME: webviewData() };
    // Nothing may point the app or the CLI at another data folder than the home's own.
    for (const name of ['LOUPE_DB', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME']) delete env[name];
    return { ...env, HOME: this.home };
  }

  async start() {
    this.port = await freePort();
    this.nativePort = await freePort();
    const bin = which('tauri-driver');
    const args = ['--port', String(this.port), '--native-port', String(this.nativePort), '--native-driver', NATIVE_DRIVER];
    this.child = spawn(bin, args, {
      env: this.appEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    this.child.on('error', (error) => keep(`spawn error: ${error.message}\n`));
    liveDrivers.add(this);

    // Wait until tauri-driver answers /status (it forwards to WebKitWebDriver).
    const deadline = Date.now() + 20_000;
    let last = '';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`tauri-driver exited during startup (${this.child.exitCode ?? this.child.signalCode}):\n${this.log}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}/status`, { signal: AbortSignal.timeout(2_000) });
        const body = await res.json();
        if (res.ok && body?.value?.ready !== false) return this;
        last = JSON.stringify(body);
      } catch (error) {
        last = error.message;
      }
      await sleep(200);
    }
    throw new Error(`tauri-driver did not become ready on port ${this.port} within 20 s (last: ${last}):\n${this.log}`);
  }

  /** Opens a session: this launches the app. Tries twice, since the native driver may lag. */
  async session() {
    const capabilities = {
      browserName: 'wry',
      'tauri:options': { application: this.application ?? APP_BINARY },
      // WebdriverIO 9 asks for BiDi by default; tauri-driver does not proxy it.
      'wdio:enforceWebDriverClassic': true,
    };
    let lastError;
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const browser = await remote({
          hostname: '127.0.0.1',
          port: this.port,
          capabilities,
          logLevel: process.env.LOUPE_E2E_WDIO_LOG ?? 'error',
          connectionRetryTimeout: STARTUP_MS,
          connectionRetryCount: 0,
          waitforTimeout: WAIT_MS,
        });
        return browser;
      } catch (error) {
        lastError = error;
        if (this.child.exitCode !== null) break;
        await sleep(1_000 * attempt);
      }
    }
    throw new Error(
      `The Loupe app did not start under WebDriver (${APP_BINARY}, ${this.marker}): ${lastError?.message}\n` +
        `--- tauri-driver / WebKitWebDriver / app output ---\n${this.log}`,
    );
  }

  /** Synchronous last resort (exit handler): the whole group, then anything on our book. */
  killNow() {
    liveDrivers.delete(this);
    if (this.child?.pid) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const pid of pidsWith(this.marker)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Stops tauri-driver, WebKitWebDriver and any app still running on this book. */
  async stop() {
    liveDrivers.delete(this);
    if (this.child?.pid && this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const result = await Promise.race([this.exited, sleep(5_000).then(() => null)]);
      if (result === null) {
        try {
          process.kill(-this.child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await stopAppsOn(this.marker);
  }
}

/** Waits for (then forces) the end of every app process started with `marker` (see pidsWith). */
async function stopAppsOn(marker, graceMs = 5_000) {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (pidsWith(marker, { appOnly: true }).length === 0) return;
    await sleep(100);
  }
  console.error(`# note: the app with ${marker} did not exit within ${graceMs} ms of the session ending; killing it`);
  for (const pid of pidsWith(marker, { appOnly: true })) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * The app on a given book: a driver, a session, a 1280x800 window. `close()` ends the session
 * (which quits the app) and stops the driver; it never throws, so it is safe in `after`.
 * `env` adds variables to the app's environment (LOUPE_IMPORT_FILE, LOUPE_REJECTED_FILE).
 * The window starts on the agenda when something is due (most books with sales): unless
 * `startOn` is 'agenda', the harness then goes to the customer list, as a dealer would, so a
 * spec starts where it expects; with 'agenda' it fails unless the window started there.
 * With `home`, the app runs with that HOME and no LOUPE_DB: `db` is then the default book of
 * that home, the one the app opens.
 */
export async function launchApp(db, { env = {}, startOn = 'list', home = null } = {}) {
  const driver = await new Driver(db, env, home).start();
  const app = { driver, db, browser: null };
  /** Opens a session (which starts the app) and waits for the window's page. */
  app.open = async () => {
    const browser = await driver.session();
    try {
      await browser.setWindowSize(1280, 800);
    } catch (error) {
      console.error(`# note: could not set the window to 1280x800: ${error.message.split('\n')[0]}`);
    }
    await browser.waitUntil(async () => (await browser.execute(() => document.readyState)) === 'complete', {
      timeout: WAIT_MS,
      timeoutMsg: 'the app window did not finish loading its page',
    });
    let started = '';
    await browser.waitUntil(async () => (started = await browser.execute(() => document.documentElement.dataset.startView ?? '')) !== '', {
      timeout: WAIT_MS,
      timeoutMsg: 'the window did not say which screen it started on',
    });
    if (startOn === 'agenda' && started !== 'agenda') throw new Error(`the window started on ${started}, not on the agenda`);
    // The list waits for the start screen to be decided: a window opening on the agenda never
    // draws the list's rows first (the list marks its first rows drawn).
    if (startOn === 'agenda' && (await browser.execute(() => performance.getEntriesByName('loupe:first-rows').length)) > 0) {
      throw new Error('the window drew the customer list before opening on the agenda');
    }
    if (startOn !== 'agenda' && started === 'agenda') {
      const customers = await browser.$('[data-testid="nav-list"]');
      await customers.click();
      await browser.$('[data-testid="agenda-view"]').waitForDisplayed({ reverse: true, timeout: WAIT_MS });
    }
    app.browser = browser;
    return browser;
  };
  /** Quits the app (ends the session) and waits until no app process has the book open. */
  app.quit = async () => {
    const browser = app.browser;
    app.browser = null;
    if (browser) {
      try {
        await browser.deleteSession();
      } catch (error) {
        console.error(`# note: ending the session failed: ${error.message.split('\n')[0]}`);
      }
    }
    await stopAppsOn(driver.marker);
  };
  /** Quits and starts the app again on the same book. */
  app.restart = async () => {
    await app.quit();
    return app.open();
  };
  /** Quits the app and stops the drivers; never throws, so it is safe in `after`. */
  app.close = async () => {
    await app.quit().catch(() => {});
    await driver.stop().catch(() => {});
  };
  try {
    await app.open();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/** Saves a screenshot of the window to tests/e2e/artifacts/<name>. */
export async function screenshot(browser, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  // WebKit snapshots the last painted frame: let the latest DOM changes reach the screen first.
  await browser.execute(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`taking the screenshot ${name} took longer than ${SHOT_MS} ms`)), SHOT_MS);
  });
  // The window draws without accelerated compositing (src-tauri/app/src/webview.rs), where
  // WebKitWebDriver's screenshot waits for the next repaint: a page with nothing changing never
  // gets one and the command hangs. A pixel in the corner changing shade every frame while the
  // screenshot is taken keeps repaints coming.
  await browser.execute(() => {
    const dot = document.createElement('div');
    dot.id = 'e2e-repaint';
    dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647';
    document.body.append(dot);
    let odd = false;
    const tick = () => {
      if (!dot.isConnected) return;
      odd = !odd;
      dot.style.background = odd ? 'rgba(0,0,0,0.02)' : 'rgba(0,0,0,0.01)';
      requestAnimationFrame(tick);
    };
    tick();
  });
  try {
    const png = await Promise.race([browser.takeScreenshot(), timeout]);
    writeFileSync(file, Buffer.from(png, 'base64'));
  } finally {
    clearTimeout(timer);
    await browser.execute(() => document.getElementById('e2e-repaint')?.remove()).catch(() => {});
  }
  return file;
}

/** What a failure report should show: a screenshot, the page's text, any error banner. */
export async function recordFailure(browser, label, error) {
  const safe = label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  const notes = [];
  try {
    notes.push(`screenshot: ${await screenshot(browser, `FAILED-${safe}.png`)}`);
  } catch (e) {
    notes.push(`(no screenshot: ${e.message.split('\n')[0]})`);
  }
  try {
    const text = await browser.execute(() => document.body?.innerText ?? '');
    const banner = await browser.execute(
      () => document.querySelector('[data-testid=error-banner]')?.textContent ?? null,
    );
    if (banner) notes.push(`error banner: ${banner.trim()}`);
    notes.push(`page text: ${JSON.stringify(text.slice(0, 600))}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, `FAILED-${safe}.html`), await browser.getPageSource());
  } catch (e) {
    notes.push(`(no page text: ${e.message.split('\n')[0]})`);
  }
  error.message = `${error.message}\n    ${notes.join('\n    ')}`;
  return error;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

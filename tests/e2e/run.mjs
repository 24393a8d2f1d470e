#!/usr/bin/env node
// Runs the end-to-end tests: checks the tools, starts a private Xvfb display, runs every
// specs/*.test.mjs with node's test runner (one file at a time: each drives a real window),
// and stops Xvfb afterwards whatever happened. Exit code: the test runner's, or 1.
//
//   node run.mjs                 all specs
//   node run.mjs specs/x.test.mjs   some specs
//   LOUPE_E2E_HEADFUL=1 node run.mjs   use the current $DISPLAY instead of Xvfb

import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, E2E_DIR, preflight } from './lib/harness.mjs';
import { startXvfb } from './lib/xvfb.mjs';

const TOTAL_MS = Number(process.env.LOUPE_E2E_TOTAL_MS ?? 20 * 60_000);
const headful = process.env.LOUPE_E2E_HEADFUL === '1';

function fail(message) {
  console.error(`\n*** E2E FAILED: ${message}\n`);
  process.exit(1);
}

let xvfb = null;
let runner = null;
function cleanup() {
  if (runner && runner.exitCode === null) {
    try {
      process.kill(-runner.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  if (xvfb && xvfb.exitCode === null) xvfb.kill('SIGTERM');
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n*** E2E FAILED: interrupted by ${signal}; stopping the app, the drivers and Xvfb\n`);
    cleanup();
    process.exit(130);
  });
}

try {
  preflight({ needXvfb: !headful });
} catch (error) {
  fail(error.message);
}

const requested = process.argv.slice(2);
const specs = requested.length
  ? requested.map((s) => path.resolve(s))
  : readdirSync(path.join(E2E_DIR, 'specs'))
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => path.join(E2E_DIR, 'specs', f));
if (specs.length === 0) fail('no specs found under tests/e2e/specs');

// Screenshots of this run only.
rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(ARTIFACTS, { recursive: true });

const env = { ...process.env };
if (!headful) {
  try {
    const started = await startXvfb();
    xvfb = started.process;
    xvfb.removeAllListeners('exit');
    xvfb.on('exit', (code, signal) => {
      if (runner && runner.exitCode === null) console.error(`*** Xvfb stopped during the run (${code ?? signal})`);
    });
    env.DISPLAY = started.display;
    console.log(`# e2e: Xvfb on ${started.display}`);
  } catch (error) {
    fail(error.message);
  }
} else if (!env.DISPLAY) {
  fail('LOUPE_E2E_HEADFUL=1 but DISPLAY is not set');
}
// No accessibility bus in a bare session. (Do not set WEBKIT_DISABLE_DMABUF_RENDERER or
// WEBKIT_DISABLE_COMPOSITING_MODE here: with WebKitGTK 2.50 under Xvfb either one makes
// WebKitWebDriver's screenshot command hang.)
env.NO_AT_BRIDGE = '1';

console.log(`# e2e: ${specs.length} spec file(s), screenshots in ${ARTIFACTS}`);
runner = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...specs], {
  env,
  stdio: 'inherit',
  detached: true,
  cwd: E2E_DIR,
});
const watchdog = setTimeout(() => {
  console.error(`*** E2E FAILED: the run took longer than ${TOTAL_MS / 1000} s; stopping it`);
  try {
    process.kill(-runner.pid, 'SIGTERM');
  } catch {
    // gone
  }
  setTimeout(() => {
    try {
      process.kill(-runner.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 10_000).unref();
}, TOTAL_MS);
const code = await new Promise((resolve) => runner.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
clearTimeout(watchdog);
cleanup();
if (code !== 0) console.error(`\n*** E2E FAILED (test runner exit ${code}); screenshots and page dumps in ${ARTIFACTS}\n`);
process.exit(code);

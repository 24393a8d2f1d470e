#!/usr/bin/env node
// The window bench (issue 20, targets 2 and 5): launches a build of the window on a book under
// a private Xvfb, through tauri-driver and WebKitWebDriver as the e2e tests do, and prints
//   - start: the launch of the app's process to the first frame of the screen the window starts
//     on: customer rows (the list's `loupe:first-rows` performance mark), or the agenda when
//     something is due (`loupe:first-agenda`; a list drawn before it is timed too), against
//     the 1 s target;
//   - memory: once the window has settled on the customer list, the PSS of the app's whole
//     process tree (the app, WebKitWebProcess, WebKitNetworkProcess and any other child) from
//     /proc/PID/smaps_rollup, per process and in total, against the 312 MB target and against
//     the floor: the same build on a new, empty book (or --floor-app on it).
// Timings are noisy on a shared machine: each case runs --runs times and every run is printed.
//
//   node tests/e2e/bench/window.mjs --db BOOK [--app BIN] [--runs 3] [--settle 10] [--no-floor]
//                                   [--floor-app BIN] [--maps N]
//
// --maps N also prints each process's N mappings with the most PSS (a library, a font file,
// [heap], [anon]): where the memory goes.
//
// BIN defaults to target/release/loupe-desktop (build the UI first, then
// `cargo build --release -p loupe-desktop -p loupe-cli`); a debug or e2e build works too but
// is not what a dealer runs. Make a book with `target/release/loupe --db BOOK demo --customers
// 100000 --seed 42`. Not part of `make test`: nothing here is asserted.

import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startXvfb } from '../lib/xvfb.mjs';

const START_TARGET_MS = 1000;
const MEMORY_TARGET_MB = 312;

const { values: opts } = parseArgs({
  options: {
    db: { type: 'string', default: process.env.LOUPE_DB },
    app: { type: 'string' },
    'floor-app': { type: 'string' },
    runs: { type: 'string', default: '3' },
    settle: { type: 'string', default: '10' },
    'no-floor': { type: 'boolean', default: false },
    maps: { type: 'string', default: '0' },
  },
});
if (!opts.db) {
  console.error('usage: node tests/e2e/bench/window.mjs --db BOOK [--app BIN] [--runs N] [--settle S] [--no-floor] [--floor-app BIN]');
  process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const repoRoot = path.resolve(here, '..', '..', '..');
const app = path.resolve(opts.app ?? path.join(repoRoot, 'target', 'release', 'loupe-desktop'));
const floorApp = path.resolve(opts['floor-app'] ?? app);
const book = path.resolve(opts.db);
const runs = Number(opts.runs);
const settleS = Number(opts.settle);
const topMappings = Number(opts.maps);

// The harness reads the binary to drive from the environment when it is loaded.
process.env.LOUPE_E2E_APP = app;
const { Driver, which } = await import('../lib/harness.mjs');
if (!which('tauri-driver') || !which('Xvfb')) {
  console.error('the bench needs tauri-driver and Xvfb (`make test` installs them)');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLOCK_TICKS = 100;

/** Every process as pid → {ppid, ticks (user + system CPU), start (ticks since boot), name}. */
function processes() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(entry), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        start: Number(fields[19]),
        name,
      });
    } catch {
      // gone
    }
  }
  return all;
}

/** The app's process (its binary, with LOUPE_DB = the book) and every process below it. */
function appTree(binary, db) {
  const all = processes();
  const needle = Buffer.from(`LOUPE_DB=${db}\0`);
  let root = null;
  for (const pid of all.keys()) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== binary) continue;
      if (!readFileSync(`/proc/${pid}/environ`).includes(needle)) continue;
      root = pid;
      break;
    } catch {
      // gone, or not ours
    }
  }
  if (root === null) return null;
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, p] of all) if (p.ppid === tree[i]) tree.push(pid);
  }
  return { root, pids: tree, all };
}

/** smaps_rollup's figures in kB (Pss, Pss_Anon, Pss_File, Pss_Shmem, Rss). */
function rollup(pid) {
  const out = {};
  for (const line of readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
    const m = line.match(/^(\w+):\s+(\d+) kB/);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** The process's mappings (a file, [heap], [anon]…) with the most PSS, in kB: where it goes. */
function biggestMappings(pid, count) {
  const byName = new Map();
  let name = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
    if (header) name = header[1] || '[anon]';
    const pss = line.match(/^Pss:\s+(\d+) kB/);
    if (pss) byName.set(name, (byName.get(name) ?? 0) + Number(pss[1]));
  }
  return [...byName].sort((a, b) => b[1] - a[1]).slice(0, count);
}

function memory(tree) {
  const rows = [];
  for (const pid of tree.pids) {
    try {
      const r = rollup(pid);
      const maps = topMappings > 0 ? biggestMappings(pid, topMappings) : [];
      rows.push({ pid, name: tree.all.get(pid).name, pss: r.Pss, anon: r.Pss_Anon, file: r.Pss_File, shmem: r.Pss_Shmem, rss: r.Rss, maps });
    } catch {
      // gone
    }
  }
  return { rows, pss: rows.reduce((s, r) => s + r.pss, 0) };
}

/** The wall-clock time (ms since the epoch) the process started, to the clock tick. */
function startedAt(proc) {
  const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const boot = Date.now() - uptimeS * 1000;
  return boot + (proc.start / CLOCK_TICKS) * 1000;
}

/** Waits until the tree's CPU use stays under 5% of a core for 3 s in a row (at most 120 s). */
async function settle(binary, db) {
  const until = Date.now() + 120_000;
  let quiet = 0;
  let before = null;
  while (Date.now() < until && quiet < 3) {
    const tree = appTree(binary, db);
    const ticks = tree ? tree.pids.reduce((s, pid) => s + (tree.all.get(pid)?.ticks ?? 0), 0) : 0;
    quiet = before !== null && ticks - before <= CLOCK_TICKS * 0.05 ? quiet + 1 : 0;
    before = ticks;
    await sleep(1000);
  }
}

/** One launch: the start figures, then the memory once settled on the list. */
async function measure(binary, db) {
  const driver = new Driver(db);
  driver.application = binary;
  await driver.start();
  let browser;
  try {
    const requested = Date.now();
    browser = await driver.session();
    // The first screen: the one the window starts on (`data-start-view`), timed at the frame
    // that first shows it: the list's first rows, or the agenda when something is due. A list
    // drawn before the agenda replaced it is timed too: the dealer saw it flash.
    let firstRows = null;
    let firstScreen = null;
    let listBeforeAgenda = null;
    const pageStarted = await browser.execute(() => performance.timeOrigin);
    const deadline = Date.now() + 120_000;
    while (firstRows === null && Date.now() < deadline) {
      firstRows = await browser.execute(() => {
        const screen = document.documentElement.dataset.startView;
        const at = (name) => {
          const mark = performance.getEntriesByName(name)[0];
          return mark ? performance.timeOrigin + mark.startTime : null;
        };
        if (screen !== 'list' && screen !== 'agenda') return null;
        const shown = at(screen === 'list' ? 'loupe:first-rows' : 'loupe:first-agenda');
        return shown === null ? null : { at: shown, screen, listFirst: screen === 'agenda' ? at('loupe:first-rows') : null };
      });
      if (firstRows === null) await sleep(20);
    }
    if (firstRows !== null) listBeforeAgenda = firstRows.listFirst;
    if (firstRows !== null) ({ at: firstRows, screen: firstScreen } = firstRows);
    // Where the page's part of the start goes: its document, the scripts and stylesheet, the
    // script's first line (`loupe:script`, once every module is evaluated), the first rows.
    const phases = await browser.execute(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const script = performance.getEntriesByName('loupe:script')[0];
      return {
        responseEnd: nav?.responseEnd ?? null,
        script: script?.startTime ?? null,
        marks: performance
          .getEntriesByType('mark')
          .filter((m) => m.name.startsWith('loupe:') && m.name !== 'loupe:script')
          .map((m) => ({ name: m.name.slice('loupe:'.length), at: m.startTime })),
        resources: performance
          .getEntriesByType('resource')
          .filter((r) => /\.(js|css)$/.test(r.name))
          .map((r) => ({ name: r.name.split('/').pop(), start: r.startTime, end: r.responseEnd })),
      };
    });
    const tree = appTree(binary, db);
    if (!tree) throw new Error(`no process of ${binary} on ${db}`);
    const launched = startedAt(tree.all.get(tree.root));
    // Settle on the list, as the dealer sees it (the window opens on the agenda when something is due).
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.dataset.startView ?? '')) !== '', {
      timeout: 120_000,
      timeoutMsg: 'the window did not say which screen it started on',
    });
    const startView = await browser.execute(() => document.documentElement.dataset.startView);
    if (startView === 'agenda') await (await browser.$('[data-testid="nav-list"]')).click();
    await sleep(settleS * 1000);
    await settle(binary, db);
    const rows = await browser.execute(() => document.querySelectorAll('[data-testid="customer-row"]').length);
    const shown = await browser.execute(() => document.querySelector('[data-testid="customer-count"]')?.textContent?.trim() ?? '');
    const mem = memory(appTree(binary, db));
    return {
      startMs: firstRows === null ? null : firstRows - launched,
      firstScreen,
      listFlashMs: listBeforeAgenda === null ? null : listBeforeAgenda - launched,
      pageMs: pageStarted - launched,
      phases,
      firstRowsInPage: firstRows === null ? null : firstRows - pageStarted,
      driverMs: launched - requested,
      startView,
      rows,
      shown,
      mem,
    };
  } finally {
    if (browser) await browser.deleteSession().catch(() => {});
    await driver.stop();
  }
}

const mb = (kb) => (kb / 1024).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function printRun(label, i, r) {
  const unmarked = r.rows === 0 ? 'not marked (an empty list draws no rows to mark)' : 'not marked (a build without the marks)';
  const flash = r.listFlashMs === null ? '' : `, the list drawn first at ${r.listFlashMs.toFixed(0)} ms`;
  const start = r.startMs === null ? unmarked : `${r.startMs.toFixed(0)} ms (${r.firstScreen}${flash})`;
  const page = `the page's navigation began ${r.pageMs.toFixed(0)} ms after the launch`;
  console.log(
    `${label} run ${i + 1}: launch → first screen ${start} (+${r.driverMs.toFixed(0)} ms WebKitWebDriver before the launch); ` +
      `${page}; started on ${r.startView}; ${r.rows} rows in the page; count "${r.shown}"; PSS ${mb(r.mem.pss)} MB`,
  );
  const at = (ms) => (ms === null ? '?' : `${ms.toFixed(0)} ms`);
  const files = r.phases.resources.map((f) => `${f.name} ${at(f.start)}–${at(f.end)}`).join(', ');
  console.log(
    `    in the page: document read ${at(r.phases.responseEnd)}; ${files || 'no script or stylesheet timed'}; ` +
      `every module evaluated ${at(r.phases.script)}; first screen ${at(r.firstRowsInPage)}`,
  );
  if (r.phases.marks.length > 0) console.log(`    marks: ${r.phases.marks.map((m) => `${m.name} ${at(m.at)}`).join(', ')}`);
  for (const p of r.mem.rows) {
    console.log(
      `    ${String(p.pid).padStart(7)} ${p.name.padEnd(22)} PSS ${mb(p.pss).padStart(6)} MB` +
        ` (anon ${mb(p.anon)}, file ${mb(p.file)}, shmem ${mb(p.shmem)}; RSS ${mb(p.rss)})`,
    );
    for (const [name, kb] of p.maps) console.log(`            ${mb(kb).padStart(6)} MB ${name}`);
  }
}

async function series(label, binary, db) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await measure(binary, db);
    printRun(label, i, r);
    results.push(r);
  }
  return results;
}

const xvfb = await startXvfb();
process.env.DISPLAY = xvfb.display;
process.env.NO_AT_BRIDGE = '1';
const floorDir = mkdtempSync(path.join(os.tmpdir(), 'loupe-bench-floor-'));
const stopXvfb = () => {
  xvfb.process.removeAllListeners('exit');
  xvfb.process.kill('SIGTERM');
  rmSync(floorDir, { recursive: true, force: true });
};
process.on('exit', stopXvfb);

try {
  console.log(`# window bench: ${app} on ${book}; ${runs} runs; ${os.loadavg()[0].toFixed(1)} load average at start`);
  let floor = null;
  if (!opts['no-floor']) {
    const results = await series('floor (a new, empty book)', floorApp, path.join(floorDir, 'empty.sqlite3'));
    floor = median(results.map((r) => r.mem.pss));
  }
  const results = await series('book', app, book);
  const pss = median(results.map((r) => r.mem.pss));
  const starts = results.map((r) => r.startMs).filter((x) => x !== null);
  console.log('');
  if (starts.length) {
    const start = median(starts);
    const screens = [...new Set(results.map((r) => r.firstScreen).filter(Boolean))].join(' or ');
    console.log(`start: launch → first screen (${screens}), median ${start.toFixed(0)} ms of ${starts.length}: ${(start / START_TARGET_MS).toFixed(2)}x the ${START_TARGET_MS} ms target`);
  } else console.log('start: not measured (no run marked its first screen)');
  console.log(`memory: PSS of the window's process tree on the list, median ${mb(pss)} MB: ${(pss / 1024 / MEMORY_TARGET_MB).toFixed(2)}x the ${MEMORY_TARGET_MB} MB target`);
  if (floor !== null) console.log(`floor: ${mb(floor)} MB on an empty book (${floorApp}); the book is ${(pss / floor).toFixed(2)}x the floor`);
} finally {
  stopXvfb();
}

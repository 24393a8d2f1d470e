// A private Xvfb display for the e2e run and the window bench.

import { spawn } from 'node:child_process';

/** Starts Xvfb on the first free display (-displayfd) and resolves with ":N" once it is up. */
export function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp', '-noreset'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Xvfb did not start within 15 s:\n${err}`)), 15_000);
    xvfb.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    xvfb.on('error', (e) => reject(new Error(`Xvfb could not run: ${e.message}`)));
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}) during startup:\n${err}`)));
    xvfb.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ display: `:${out.trim()}`, process: xvfb });
      }
    });
  });
}

import { mount } from 'svelte';
import '@fontsource-variable/inter/wght.css';
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/600.css';
import './app.css';
import App from './App.svelte';

// Every module above is evaluated: the window bench (tests/e2e/bench/window.mjs) times the
// page's start to here, then to the list's first rows.
performance.mark('loupe:script');

const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');

type AppProps = Parameters<typeof App>[1];

async function props(): Promise<AppProps> {
  // `npm run dev` in a plain browser: no Tauri, so use an in-memory demo book.
  // The branch is removed from production builds.
  if (import.meta.env.DEV && !('__TAURI_INTERNALS__' in window)) {
    const { demoFromUrl } = await import('./dev/demo');
    const demo = demoFromUrl();
    return { backend: demo.backend, initialView: demo.initialView, initialSettingsOpen: demo.settings };
  }
  return {};
}

props().then((p) => mount(App, { target, props: p }));

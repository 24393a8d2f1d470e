import { render } from '@testing-library/svelte';
import type { Backend } from '../lib/gateway';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { FakeBackend } from './fakeBackend';

export function renderApp(backend: FakeBackend = new FakeBackend()) {
  const user = userEvent.setup();
  const result = render(App, { props: { backend } });
  return { ...result, user, backend };
}

/**
 * A backend holding only the methods a test gives it: calling any other fails the test and names
 * the method. New features test their screens with these stubs instead of growing FakeBackend.
 */
export function stubBackend(methods: Partial<Backend>): Backend {
  return new Proxy(methods, {
    get(target, method) {
      const given = target[method as keyof Backend];
      if (given) return given;
      return () => {
        throw new Error(`the test did not stub backend.${String(method)}`);
      };
    },
  }) as Backend;
}

import { render } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { FakeBackend } from './fakeBackend';

export function renderApp(backend: FakeBackend = new FakeBackend()) {
  const user = userEvent.setup();
  const result = render(App, { props: { backend } });
  return { ...result, user, backend };
}

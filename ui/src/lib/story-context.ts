/**
 * The customer page hands its parts deep in the timeline (a sale's "Mark collected") one way to
 * give it the page as the core returned it after a change, without every component between
 * passing a callback on.
 */
import { getContext, setContext } from 'svelte';
import type { CustomerStory } from './bindings/CustomerStory';

const KEY = Symbol('story-updated');

export function provideStoryUpdate(update: (story: CustomerStory) => void): void {
  setContext(KEY, update);
}

export function useStoryUpdate(): (story: CustomerStory) => void {
  const update = getContext<((story: CustomerStory) => void) | undefined>(KEY);
  if (!update) throw new Error('useStoryUpdate outside a customer page');
  return update;
}

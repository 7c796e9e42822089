import { act, cleanup, render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach } from 'vitest';
import type { AppSnapshot } from '../../../electron/api/contract.js';
import { App } from '../app/App.js';
import { FakeApi } from '../fake-api.js';
import { FIXTURE_NOW } from '../fixtures.js';

// Vitest runs without globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

export interface RenderedApp extends RenderResult {
  fake: FakeApi;
  user: UserEvent;
  /** Pushes a snapshot from "main" and lets React render it. */
  push: (snapshot: AppSnapshot) => Promise<void>;
}

/** The whole window, fed by a fake API holding `snapshot`, after the first snapshot has arrived. */
export async function renderApp(snapshot: AppSnapshot, options: { view?: 'main' | 'settings'; fake?: FakeApi } = {}): Promise<RenderedApp> {
  const fake = options.fake ?? new FakeApi(snapshot);
  const user = userEvent.setup();
  const result = render(<App api={fake.api} initialView={options.view ?? 'main'} now={() => FIXTURE_NOW} />);
  // getSnapshot() answers in a microtask: let it land.
  await act(async () => {});
  const push = async (next: AppSnapshot): Promise<void> => {
    await act(async () => fake.push(next));
  };
  return { ...result, fake, user, push };
}

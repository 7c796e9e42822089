import { afterEach, describe, expect, it } from 'vitest';
import type { RelayHandle } from '../../server/index.js';
import { relayOnLoopback } from '../helpers/relay.js';
import { startAppInstance, type AppInstance } from '../support/app-instance.js';

describe('joining by a link that names no room (the app)', () => {
  let app: AppInstance | undefined;
  let relay: RelayHandle | undefined;
  afterEach(async () => {
    await app?.controller.shutdown();
    await relay?.close();
  });

  it('says which room it joined, and says nothing when the room was named', async () => {
    relay = await relayOnLoopback();
    app = await startAppInstance();
    const port = relay.address.port;
    const said = (): string[] => app!.latest().notices.filter((n) => n.kind === 'info').map((n) => n.text);

    expect(await app.controller.join({ target: `parley://127.0.0.1:${port}/Ops`, name: 'Ben' })).toEqual({ ok: true });
    expect(app.latest().room?.name).toBe('Ops');
    expect(await app.controller.join({ target: `127.0.0.1:${port}`, room: 'Games', name: 'Ben' })).toEqual({ ok: true });
    expect(said()).toEqual([]);

    expect(await app.controller.join({ target: `parley://127.0.0.1:${port}`, name: 'Ben' })).toEqual({ ok: true });
    expect(app.latest().room?.name).toBe('Lobby');
    expect(said()).toEqual(['No room was named, so you joined "Lobby".']);
  });

  it("joins the relay's Lobby, not the name this user gives the rooms they host, as the CLI does", async () => {
    relay = await relayOnLoopback();
    app = await startAppInstance();
    expect(await app.controller.updateSettings({ hostRoom: 'Movie night' })).toEqual({ ok: true });
    expect(await app.controller.join({ target: `127.0.0.1:${relay.address.port}`, name: 'Ben' })).toEqual({ ok: true });
    expect(app.latest().room?.name).toBe('Lobby');
  });
});

import { describe, expect, it } from 'vitest';
import { memoryJournal, type MappingJournal } from '../../server/portmap/journal.js';
import { PortMapper, RENEW_RETRY_MS, type MappingStatus } from '../../server/portmap/port-mapper.js';
import { ManualTimers } from '../support/manual-timers.js';
import { ScriptedRouter } from './scripted-router.js';

function mapper(clients: ScriptedRouter[], options: { journal?: MappingJournal; lifetimeS?: number } = {}) {
  const timers = new ManualTimers();
  const journal = options.journal ?? memoryJournal();
  const changes: MappingStatus[] = [];
  const portMapper = new PortMapper({ clients, journal, timers, lifetimeS: options.lifetimeS ?? 7200, requestMs: 2000, onChange: (s) => changes.push(s) });
  return { portMapper, timers, journal, changes };
}

describe('PortMapper (a scripted router on a simulated clock)', () => {
  it('maps UDP and TCP on the same number, learns the public address, and journals both', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    const { portMapper, journal, timers } = mapper([pmp]);
    const status = await portMapper.open(47000);
    expect(status).toEqual({ state: 'mapped', method: 'NAT-PMP', externalAddress: '198.51.100.7', udpPort: 47000, tcpPort: 47000 });
    expect(pmp.requests).toEqual(['address', 'map UDP 47000->47000 7200s', 'map TCP 47000->47000 7200s']);
    expect(journal.read()).toEqual([
      { method: 'NAT-PMP', protocol: 'UDP', internalPort: 47000, externalPort: 47000 },
      { method: 'NAT-PMP', protocol: 'TCP', internalPort: 47000, externalPort: 47000 },
    ]);
    // Renewal at half the granted lifetime, one timer per lease.
    expect(timers.dueTimes()).toEqual([3_600_000, 3_600_000]);
  });

  it('renews at half of what the router granted, not of what was asked', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    pmp.mapAnswers = [{ grant: { lifetimeS: 120 } }, { grant: { lifetimeS: 120 } }];
    const { portMapper, timers } = mapper([pmp]);
    await portMapper.open(47000);
    pmp.requests.length = 0;
    await timers.advance(59_999);
    expect(pmp.requests).toEqual([]);
    await timers.advance(1);
    expect(pmp.requests).toEqual(['map UDP 47000->47000 7200s', 'map TCP 47000->47000 7200s']);
    // The renewals were granted 7200 s: the next falls an hour later.
    expect(timers.dueTimes()).toEqual([60_000 + 3_600_000, 60_000 + 3_600_000]);
  });

  it('retries a failed renewal every 30 s while the lease runs, then reports the port closed', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    pmp.mapAnswers = [{ grant: { lifetimeS: 100 } }, { grant: { lifetimeS: 100 } }];
    const { portMapper, timers, journal, changes } = mapper([pmp]);
    await portMapper.open(47000);
    pmp.defaultMap = { refuse: 'Not Authorized/Refused' };
    pmp.requests.length = 0;
    // Renewal at 50 s fails; 50 s are left, so retry at 80 s; then 20 s are left (< 30 s): give up.
    await timers.advance(50_000);
    expect(pmp.requests).toEqual(['map UDP 47000->47000 7200s', 'map TCP 47000->47000 7200s']);
    expect(timers.dueTimes()).toEqual([50_000 + RENEW_RETRY_MS, 50_000 + RENEW_RETRY_MS]);
    await timers.advance(RENEW_RETRY_MS);
    expect(timers.dueTimes()).toEqual([]);
    expect(portMapper.current).toEqual({
      state: 'refused',
      method: 'NAT-PMP',
      externalAddress: '198.51.100.7',
      reason: 'the router stopped renewing the mapping (Not Authorized/Refused)',
    });
    expect(changes.at(-1)).toEqual(portMapper.current);
    expect(journal.read()).toEqual([]);
  });

  it('follows an external port different from the internal one (NAT-PMP grants another)', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    pmp.mapAnswers = [{ grant: { externalPort: 51234 } }, { grant: { externalPort: 51234 } }];
    const { portMapper } = mapper([pmp]);
    expect(await portMapper.open(47000)).toEqual({ state: 'mapped', method: 'NAT-PMP', externalAddress: '198.51.100.7', udpPort: 51234, tcpPort: 51234 });
    // TCP asks for the port UDP was given, so both share one number where the router allows.
    expect(pmp.requests[2]).toBe('map TCP 47000->51234 7200s');
  });

  it('tries the next ports when a UPnP router refuses the one asked for', async () => {
    const upnp = new ScriptedRouter('UPnP');
    upnp.mapAnswers = [{ refuse: 'ConflictInMappingEntry' }, { grant: {} }, { grant: {} }];
    const { portMapper } = mapper([upnp]);
    expect(await portMapper.open(47000)).toMatchObject({ state: 'mapped', udpPort: 47001, tcpPort: 47001 });
    expect(upnp.requests).toEqual(['address', 'map UDP 47000->47000 7200s', 'map UDP 47000->47001 7200s', 'map TCP 47000->47001 7200s']);
  });

  it('falls back from NAT-PMP to UPnP, and says "refused" when a router answered but mapped nothing', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    pmp.address = 'silence';
    pmp.defaultMap = 'silence';
    const upnp = new ScriptedRouter('UPnP');
    upnp.address = '203.0.113.9';
    upnp.defaultMap = { refuse: 'Action not authorized' };
    const { portMapper, timers } = mapper([pmp, upnp]);
    const opened = portMapper.open(47000);
    // Two silent questions to NAT-PMP, 2 s each, then UPnP answers at once.
    await timers.advance(4000);
    expect(await opened).toEqual({ state: 'refused', method: 'UPnP', externalAddress: '203.0.113.9', reason: 'Action not authorized' });
    expect(upnp.requests).toEqual(['address', 'map UDP 47000->47000 7200s', 'map UDP 47000->47001 7200s', 'map UDP 47000->47002 7200s']);
  });

  it('gives up on a router that never answers within bounded time', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    const upnp = new ScriptedRouter('UPnP');
    for (const r of [pmp, upnp]) {
      r.address = 'silence';
      r.defaultMap = 'silence';
    }
    const { portMapper, timers } = mapper([pmp, upnp]);
    let outcome: MappingStatus | undefined;
    void portMapper.open(47000).then((s) => (outcome = s));
    await timers.advance(7999);
    expect(outcome).toBeUndefined();
    await timers.advance(1);
    expect(outcome).toEqual({ state: 'noRouter' });
  });

  it('removes every mapping on close and stops renewing', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    const { portMapper, timers, journal } = mapper([pmp]);
    await portMapper.open(47000);
    await portMapper.close();
    expect(pmp.requests.slice(-2)).toEqual(['unmap UDP 47000', 'unmap TCP 47000']);
    expect(pmp.closed).toBe(true);
    expect(timers.dueTimes()).toEqual([]);
    expect(journal.read()).toEqual([]);
  });

  it('removes what a crashed run left in the journal before mapping again', async () => {
    const journal = memoryJournal();
    journal.write([{ method: 'UPnP', protocol: 'UDP', internalPort: 47000, externalPort: 47002 }]);
    const upnp = new ScriptedRouter('UPnP');
    const { portMapper } = mapper([upnp], { journal });
    expect(await portMapper.removeStale()).toBe(1);
    expect(upnp.requests).toEqual(['unmap UDP 47002']);
    expect(journal.read()).toEqual([]);
  });

  it('keeps UDP mapped when only TCP is refused', async () => {
    const pmp = new ScriptedRouter('NAT-PMP');
    pmp.mapAnswers = [{ grant: {} }, { refuse: 'Not Authorized/Refused' }];
    const { portMapper, journal } = mapper([pmp]);
    expect(await portMapper.open(47000)).toMatchObject({ state: 'mapped', udpPort: 47000, tcpPort: null });
    expect(journal.read().map((e) => e.protocol)).toEqual(['UDP']);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { relayOptionsSchema } from '../../cli/relay-command.js';
import { parseOptions } from '../../cli/options.js';

const repo = new URL('../..', import.meta.url).pathname;
const read = (path: string): string => readFileSync(`${repo}/${path}`, 'utf8');
const manifest = (path: string): Record<string, unknown> => parse(read(path)) as Record<string, unknown>;

/** A path into parsed YAML, or undefined where it leads nowhere. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let here = value;
  for (const step of path) here = here !== null && typeof here === 'object' ? (here as Record<string | number, unknown>)[step] : undefined;
  return here;
}

/** `--metrics-port 9100 --agones` as commander would hand them to the relay command: camelCased, switches true. */
function asCommandOptions(args: string[]): Record<string, string | boolean> {
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const key = args[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) options[key] = true;
    else options[key] = args[++i]!;
  }
  return options;
}

describe('the fleet manifests (deploy/), as docs/fleet.md describes them', () => {
  const fleet = manifest('deploy/fleet.yaml');
  const gameServer = at(fleet, 'spec', 'template', 'spec');
  const container = at(gameServer, 'template', 'spec', 'containers', 0);
  const args = at(container, 'args') as string[];

  it('is an Agones Fleet whose one port carries UDP and TCP at the same number, health-pinged every 5 s', () => {
    expect([fleet.apiVersion, fleet.kind, at(fleet, 'metadata', 'name')]).toEqual(['agones.dev/v1', 'Fleet', 'parley-relay']);
    expect(at(gameServer, 'ports')).toEqual([{ name: 'relay', portPolicy: 'Dynamic', containerPort: 47000, protocol: 'TCPUDP' }]);
    expect(at(gameServer, 'health')).toEqual({ disabled: false, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 });
    expect(at(gameServer, 'sdkServer')).toMatchObject({ grpcPort: 9357 });
    expect(at(gameServer, 'counters', 'rooms')).toEqual({ count: 0, capacity: 60 });
  });

  it('starts `parley relay --agones` with options the command accepts, probed on /healthz (liveness) and /readyz (readiness)', () => {
    expect(args).toContain('--agones');
    const options = parseOptions(relayOptionsSchema, asCommandOptions(args));
    expect(options).toMatchObject({ port: 47000, metricsPort: 9100, metricsHost: '0.0.0.0', agones: true, drainTimeout: 30, logFormat: 'json' });
    expect(at(container, 'ports')).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP' }]);
    expect(at(container, 'livenessProbe', 'httpGet')).toEqual({ path: '/healthz', port: 'metrics' });
    expect(at(container, 'readinessProbe', 'httpGet')).toEqual({ path: '/readyz', port: 'metrics' });
    // The drain must end before Kubernetes kills the container.
    expect(at(gameServer, 'template', 'spec', 'terminationGracePeriodSeconds')).toBeGreaterThan(options.drainTimeout);
    expect(at(container, 'resources', 'limits', 'cpu')).toBe('1');
  });

  it('keeps a buffer of ready relays for the fleet, and allocates onto its relays by their room counter', () => {
    const autoscaler = manifest('deploy/fleet-autoscaler.yaml');
    expect([autoscaler.apiVersion, autoscaler.kind, at(autoscaler, 'spec', 'fleetName')]).toEqual(['autoscaling.agones.dev/v1', 'FleetAutoscaler', 'parley-relay']);
    expect(at(autoscaler, 'spec', 'policy')).toEqual({ type: 'Buffer', buffer: { bufferSize: 2, minReplicas: 2, maxReplicas: 50 } });

    const allocation = manifest('deploy/allocation.yaml');
    expect([allocation.apiVersion, allocation.kind]).toEqual(['allocation.agones.dev/v1', 'GameServerAllocation']);
    const selectors = at(allocation, 'spec', 'selectors') as unknown[];
    expect(selectors.map((s) => [at(s, 'matchLabels', 'agones.dev/fleet'), at(s, 'gameServerState')])).toEqual([
      ['parley-relay', 'Allocated'],
      ['parley-relay', 'Ready'],
    ]);
    expect(at(selectors[0], 'counters')).toEqual({ rooms: { minAvailable: 1 } });
    expect(at(allocation, 'spec', 'counters')).toEqual({ rooms: { action: 'Increment', amount: 1 } });
  });

  it('matches the image: its exposed ports, its entrypoint and its user', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM .*/gm)).toEqual(['FROM node:24-bookworm-slim AS build', 'FROM node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/^EXPOSE 47000\/udp 47000\/tcp 9100\/tcp$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev --ignore-scripts/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/parley.js", "relay"\]$/m);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'test']));
  });
});

import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of just the measured window (not start-up, not the
 * joins), written as a .cpuprofile that Chrome DevTools or
 * `tsx bench/relay/profile-summary.ts` can read. Does nothing without a path.
 */
export class WindowProfiler {
  private session: Session | undefined;

  constructor(private readonly path: string | undefined) {}

  async start(): Promise<void> {
    if (!this.path) return;
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.start');
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session || !this.path) return;
    this.session = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    await writeFile(this.path, JSON.stringify(profile));
  }
}

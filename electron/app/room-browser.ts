import type { Logger } from 'pino';
import { formatAddress } from '../../server/shared/address.js';
import type { ActionResult, BrowseRequest, BrowseView } from '../api/contract.js';
import { RelaySession } from '../net/session.js';
import { directoryView } from './directory-view.js';
import { parseInvite } from './invite.js';
import { fail, failWith, OK } from './user-error.js';

/** How long to wait for the directory once in: a relay that has one sends it right after its WELCOME. */
const DIRECTORY_WAIT_MS = 3_000;

/**
 * The connect screen's list of a relay's rooms: a session that joins no
 * room, kept open (and the list current) while the user picks one, closed
 * when they join, host, look elsewhere or go back.
 */
export class RoomBrowser {
  private session: RelaySession | null = null;
  private current: BrowseView | null = null;
  private attempt = 0;

  constructor(
    private readonly log: Logger,
    private readonly changed: () => void,
  ) {}

  get view(): BrowseView | null {
    return this.current;
  }

  async browse(request: BrowseRequest): Promise<ActionResult> {
    await this.stop();
    const attempt = this.attempt;
    let relay: { host: string; port: number };
    let password = request.password || undefined;
    try {
      const invite = parseInvite(request.target);
      relay = { host: invite.host, port: invite.port };
      password ??= invite.password;
    } catch (error) {
      return failWith(error, 'invalidAddress');
    }
    const target = formatAddress(relay.host, relay.port);
    this.show({ target, state: 'loading', rooms: [], error: null });
    let session: RelaySession;
    try {
      session = await RelaySession.connect({ relay, room: '', name: request.name.trim(), password, logger: this.log.child({ component: 'browse' }) });
    } catch (error) {
      return this.failed(attempt, target, failWith(error, 'browseFailed'));
    }
    if (attempt !== this.attempt) {
      await session.leave();
      return fail('cancelled', 'Listing the rooms was cancelled.');
    }
    this.session = session;
    session.on('directory', (rooms) => session === this.session && this.show({ target, state: 'listed', rooms: directoryView(rooms, ''), error: null }));
    session.on('status', (status) => {
      if (session === this.session && status.state === 'closed' && status.reason === 'failed') this.failed(attempt, target, fail('browseFailed', status.error?.message ?? 'The relay stopped answering.'));
    });
    if (session.directory) this.show({ target, state: 'listed', rooms: directoryView(session.directory, ''), error: null });
    else {
      const timer = setTimeout(() => {
        if (session === this.session && this.current?.state === 'loading') {
          this.failed(attempt, target, fail('noDirectory', 'This relay sent no list of its rooms (it may run an older Parley): enter the room’s name.'));
        }
      }, DIRECTORY_WAIT_MS);
      timer.unref();
    }
    return OK;
  }

  async stop(): Promise<void> {
    this.attempt++;
    const session = this.session;
    this.session = null;
    const hadView = this.current !== null;
    this.current = null;
    if (hadView) this.changed();
    if (session) await session.leave();
  }

  private show(view: BrowseView): void {
    this.current = view;
    this.changed();
  }

  private failed(attempt: number, target: string, result: ActionResult): ActionResult {
    if (attempt === this.attempt && !result.ok) this.show({ target, state: 'failed', rooms: [], error: result.error });
    return result;
  }
}

/**
 * What a command reports on stdout, for a person or a script reading it.
 * When the reader goes away (`parley join … | head -1` exits, so the next
 * write fails with EPIPE), later lines are dropped instead of crashing the
 * process, and `onReaderGone`'s listener runs once: a client leaves its room.
 */
export class StdoutLines {
  private gone = false;
  private listener: (() => void) | undefined;

  constructor() {
    process.stdout.on('error', () => {
      if (this.gone) return;
      this.gone = true;
      this.listener?.();
    });
  }

  write(text: string): void {
    if (!this.gone) process.stdout.write(text);
  }

  /** Runs `listener` when the reader goes away, or at once if it already has. */
  onReaderGone(listener: () => void): void {
    this.listener = listener;
    if (this.gone) listener();
  }
}

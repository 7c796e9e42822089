import type { Notice } from '../api/contract.js';

/** The few messages the window shows until dismissed; the oldest go first past the limit. */
export class Notices {
  private nextId = 1;
  private items: Notice[] = [];

  constructor(private readonly limit = 5) {}

  add(kind: Notice['kind'], text: string): void {
    // The same message twice in a row (a device failing repeatedly) is shown once.
    if (this.items.some((n) => n.text === text)) return;
    this.items = [...this.items, { id: this.nextId++, kind, text }].slice(-this.limit);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  get list(): Notice[] {
    return this.items;
  }
}

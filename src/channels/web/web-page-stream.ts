import type { InboxItem } from './web-inbox-store';
import type { PushTarget } from './web-push-hub';

const REMEMBER = 500;
const byId = (a: InboxItem, b: InboxItem) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

/**
 * One open page. Messages pushed while its backlog is still being read from the database are held, then
 * shown after the backlog, in id order, each once: a message stored and pushed during the connect shows up
 * in both, and must appear once and in its place.
 */
export class PageStream implements PushTarget {
  private ready = false;
  private held: InboxItem[] = [];
  private readonly shown = new Set<string>();

  constructor(
    private readonly write: (item: InboxItem) => void,
    private readonly onClose: () => void,
  ) {}

  push(items: readonly InboxItem[]): void {
    if (!this.ready) {
      this.held.push(...items);
      return;
    }
    for (const item of items) this.show(item);
  }

  /** Shows the backlog and whatever arrived meanwhile; from now on pushes are shown at once. */
  open(backlog: readonly InboxItem[]): void {
    for (const item of [...backlog, ...this.held].sort(byId)) this.show(item);
    this.held = [];
    this.ready = true;
  }

  close(): void {
    this.onClose();
  }

  private show(item: InboxItem): void {
    if (this.shown.has(item.id)) return;
    this.shown.add(item.id);
    if (this.shown.size > REMEMBER) this.shown.delete(this.shown.values().next().value as string);
    this.write(item);
  }
}

/**
 * The last `max` ids seen, to drop an update Telegram delivers twice (a webhook retry after a timeout) in
 * this process; across processes the dialog engine's per-session message ids catch the rest.
 */
export class RecentIds {
  private readonly ids = new Set<number>();

  constructor(private readonly max = 10_000) {}

  /** True the first time an id is offered, false after. */
  add(id: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
    return true;
  }
}

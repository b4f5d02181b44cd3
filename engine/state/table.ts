import type { StateChange } from './store';

/**
 * Collects what a batch of commands changed, so the whole batch is written in one transaction.
 * Values are serialised at commit time, so an object changed several times in a batch is written once.
 */
export class ChangeTracker {
  private changed = new Map<string, { kind: string; key: string; value: unknown | null; created: boolean }>();

  /** `created`: the row did not exist before this batch, so deleting it again needs no database write. */
  mark(kind: string, key: string, value: unknown | null, created: boolean): void {
    const id = `${kind}\u0000${key}`;
    const previous = this.changed.get(id);
    const isNew = previous ? previous.created : created;
    if (value === null && isNew) {
      this.changed.delete(id);
      return;
    }
    this.changed.set(id, { kind, key, value, created: isNew });
  }

  drain(): StateChange[] {
    const changes = [...this.changed.values()].map(({ kind, key, value }) => ({ kind, key, value }));
    this.changed = new Map();
    return changes;
  }

  get size(): number {
    return this.changed.size;
  }
}

/** One kind of engine state: an in-memory map whose writes are tracked for the next commit. */
export class Table<T> {
  private readonly rows = new Map<string, T>();

  constructor(
    readonly kind: string,
    private readonly tracker: ChangeTracker,
  ) {}

  get(key: string): T | undefined {
    return this.rows.get(key);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  /** Stores (or re-stores after an in-place change) a row. */
  put(key: string, value: T): void {
    const created = !this.rows.has(key);
    this.rows.set(key, value);
    this.tracker.mark(this.kind, key, value, created);
  }

  delete(key: string): void {
    if (this.rows.delete(key)) this.tracker.mark(this.kind, key, null, false);
  }

  values(): IterableIterator<T> {
    return this.rows.values();
  }

  get size(): number {
    return this.rows.size;
  }

  /** Loading from the database: no change to track. */
  restore(key: string, value: T): void {
    this.rows.set(key, value);
  }
}

import type { StateChange } from './store';

/**
 * Collects what a batch of commands changed, so the whole batch is written in one transaction.
 * Values are serialised at commit time, so an object changed several times in a batch is written once.
 */
export class ChangeTracker {
  private changed = new Map<string, { kind: string; key: string; value: unknown | null }>();

  mark(kind: string, key: string, value: unknown | null): void {
    this.changed.set(`${kind}\u0000${key}`, { kind, key, value });
  }

  drain(): StateChange[] {
    const changes = [...this.changed.values()];
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
    this.rows.set(key, value);
    this.tracker.mark(this.kind, key, value);
  }

  delete(key: string): void {
    if (this.rows.delete(key)) this.tracker.mark(this.kind, key, null);
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

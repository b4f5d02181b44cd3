/**
 * Engine time. Production reads the wall clock; a controllable clock lets tests and the `/actuator/clock`
 * endpoint move time forward (like Zeebe's clock actuator and zeebe-process-test's increaseTime), so timer
 * paths run in milliseconds.
 */
export interface Clock {
  now(): number;
  /** Called whenever time jumps, so due dates are checked at once. Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}

export class EngineClock implements Clock {
  private offsetMs = 0;
  private pinnedAt: number | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(readonly controllable: boolean) {}

  now(): number {
    return this.pinnedAt ?? Date.now() + this.offsetMs;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Moves time forward (or back) by `ms`; refused on a wall clock. */
  add(ms: number): number {
    this.requireControllable();
    if (this.pinnedAt !== null) this.pinnedAt += ms;
    else this.offsetMs += ms;
    this.changed();
    return this.now();
  }

  /** Stops time at `epochMs`. */
  pin(epochMs: number): number {
    this.requireControllable();
    this.pinnedAt = epochMs;
    this.changed();
    return this.now();
  }

  reset(): number {
    this.requireControllable();
    this.pinnedAt = null;
    this.offsetMs = 0;
    this.changed();
    return this.now();
  }

  private requireControllable(): void {
    if (!this.controllable) throw new Error('the engine clock is not controllable (start the engine with ZEEBE_CLOCK_CONTROLLED=true)');
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * A min-heap of things that fall due (timers, job deadlines, job back-offs, message expiry). Entries are never
 * removed: the owner checks at pop time whether the entry is still current (lazy deletion), which keeps
 * cancelling a timer O(1).
 */
export type DueKind = 'timer' | 'jobDeadline' | 'jobBackoff' | 'messageExpiry';

export interface DueEntry {
  due: number;
  kind: DueKind;
  key: string;
}

export class DueDates {
  private heap: DueEntry[] = [];

  add(entry: DueEntry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].due <= heap[i].due) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  nextDue(): number | undefined {
    return this.heap[0]?.due;
  }

  /** Removes and returns every entry due at or before `now`, earliest first. */
  popDue(now: number): DueEntry[] {
    const due: DueEntry[] = [];
    while (this.heap.length > 0 && this.heap[0].due <= now) due.push(this.pop());
    return due;
  }

  private pop(): DueEntry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left].due < heap[smallest].due) smallest = left;
        if (right < heap.length && heap[right].due < heap[smallest].due) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}

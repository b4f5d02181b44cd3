/**
 * What one group commit is made of: the state it changes, the records it appends, the work steps still to run
 * (activations are queued, not recursed, so long flows never grow the stack and records keep Zeebe's order) and
 * the effects that may only happen once the batch is durable (answers, pushed jobs, with-result replies).
 */
import type { Clock } from '../clock';
import type { RecordRow } from '../state/store';
import type { EngineState } from '../state/engineState';
import type { Variables } from '../state/entities';

export interface CompletedInstance {
  processInstanceKey: string;
  variables: Variables;
  terminated: boolean;
}

export class Batch {
  readonly records: RecordRow[] = [];
  private readonly steps: (() => void)[] = [];
  readonly afterCommit: (() => void)[] = [];
  /** Job types that got activatable jobs in this batch, to hand them to waiting workers. */
  readonly typesWithJobs = new Set<string>();
  /** Root process instances that ended in this batch (for CreateProcessInstanceWithResult). */
  readonly endedInstances: CompletedInstance[] = [];
  /** Set while a command runs, so rejections happen before any state is touched. */
  now: number;

  constructor(
    readonly state: EngineState,
    private readonly clock: Clock,
    private position: number,
  ) {
    this.now = clock.now();
  }

  get lastPosition(): number {
    return this.position;
  }

  write(
    valueType: string,
    intent: string,
    key: string,
    value: Record<string, unknown>,
    processInstanceKey: string | null = null,
  ): void {
    this.position += 1;
    this.records.push({
      position: this.position,
      key,
      timestamp: this.now,
      valueType,
      intent,
      recordType: 'EVENT',
      partitionId: 1,
      processInstanceKey,
      value,
    });
  }

  /** Queues a step to run after the current one (breadth first, like Zeebe's follow-up commands). */
  enqueue(step: () => void): void {
    this.steps.push(step);
  }

  /** Runs queued steps until none are left. */
  drain(): void {
    for (let i = 0; i < this.steps.length; i++) this.steps[i]();
    this.steps.length = 0;
  }

  onCommit(effect: () => void): void {
    this.afterCommit.push(effect);
  }

  refreshTime(): void {
    this.now = this.clock.now();
  }
}

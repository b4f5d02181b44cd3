/**
 * What the inbox refuses, as types the pages map to HTTP: TaskNotFound 404 (also for tasks the user may not see,
 * so ids cannot be probed), TaskForbidden 403, TaskConflict / TaskNotAssigned / TaskGone 409, InvalidAssignee 422.
 */
export class TaskNotFound extends Error {
  readonly status = 404;
  constructor(readonly jobKey: string) {
    super(`No task ${jobKey}`);
    this.name = 'TaskNotFound';
  }
}

export class TaskForbidden extends Error {
  readonly status = 403;
  constructor(readonly jobKey: string | null, reason: string) {
    super(reason);
    this.name = 'TaskForbidden';
  }
}

/** Someone else holds the task. */
export class TaskConflict extends Error {
  readonly status = 409;
  constructor(readonly jobKey: string, readonly assignee: string) {
    super(`Task ${jobKey} is assigned to ${assignee}`);
    this.name = 'TaskConflict';
  }
}

/** Completion needs the task claimed first, as in Camunda Tasklist. */
export class TaskNotAssigned extends Error {
  readonly status = 409;
  constructor(readonly jobKey: string) {
    super(`Task ${jobKey} must be claimed before it is completed`);
    this.name = 'TaskNotAssigned';
  }
}

/** The task was completed or left the inbox (its job is gone). */
export class TaskGone extends Error {
  readonly status = 409;
  constructor(readonly jobKey: string, readonly state: 'completed' | 'removed') {
    super(`Task ${jobKey} is ${state}`);
    this.name = 'TaskGone';
  }
}

/** The user a team lead chose cannot take the task; `field` is the form field to show it at. */
export class InvalidAssignee extends Error {
  readonly status = 422;
  readonly field = 'assignee';
  constructor(readonly assignee: string, reason: string) {
    super(reason);
    this.name = 'InvalidAssignee';
  }
}

/**
 * The task store: the contract between task sourcing and the inbox pages. Reading in taskQueries, changing in
 * taskActions, who may do what in taskAccess, the refusals (mapped to HTTP statuses) in taskErrors.
 */
export { PRIORITY, type Task, type TaskState } from './task';
export { listTasks, getTask, TASK_LISTS, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type TaskList, type TaskQuery, type TaskPage } from './taskQueries';
export { claimTask, unclaimTask, assignTask, completeTask, throwTaskError } from './taskActions';
export { canSee, canWork, canAssign } from './taskAccess';
export { TaskNotFound, TaskForbidden, TaskConflict, TaskNotAssigned, TaskGone, InvalidAssignee } from './taskErrors';

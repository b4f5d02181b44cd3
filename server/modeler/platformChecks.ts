/**
 * The platform's own checks of a model, beyond what Zeebe and bpmnlint know: every user task names a form the
 * task inbox has, every job type has a worker, every candidate group is a group someone works in. FEEL
 * expressions (`=…`) in these places are decided at run time and are not checked here.
 */
import type { Knex } from 'knex';
import { allFlowElements, attr, extensions, type El } from '../../engine/model/moddle';
import { FORM_KEYS } from '../../forms/registry';
import { USER_TASK_JOB_TYPE } from '../../processes/catalogue';
import { JOB_WORKERS } from '../../workers/index';
import { candidateGroupsOf, ROLES } from '../auth/sessionUser';
import { translate, type Locale } from '../i18n';

export interface PlatformIssue {
  elementId: string;
  message: string;
}

export interface KnownNames {
  formKeys: ReadonlySet<string>;
  jobTypes: ReadonlySet<string>;
  candidateGroups: ReadonlySet<string>;
}

// Forms and workers ship with the code, so their names are fixed while the platform runs.
const FORM_KEY_SET: ReadonlySet<string> = new Set(FORM_KEYS);
const JOB_TYPE_SET: ReadonlySet<string> = new Set(JOB_WORKERS.map((worker) => worker.type));

/** City centers are read per check: an administrator may add one while the platform runs. */
export async function knownNames(knex: Knex): Promise<KnownNames> {
  const cities = await knex('centers').where('tier', 'city').pluck<string[]>('code');
  return { formKeys: FORM_KEY_SET, jobTypes: JOB_TYPE_SET, candidateGroups: new Set(candidateGroupsOf(ROLES, cities)) };
}

function isExpression(value: string): boolean {
  return value.trim().startsWith('=');
}

function checkElement(el: El, known: KnownNames, locale: Locale): PlatformIssue[] {
  const issues: PlatformIssue[] = [];
  const elementId = el.id ?? '';
  if (el.$type === 'bpmn:UserTask') {
    const formKey = attr(extensions(el, 'zeebe:FormDefinition')[0], 'formKey')?.trim();
    if (!formKey) issues.push({ elementId, message: translate(locale, 'modeler.check.noFormKey') });
    else if (!known.formKeys.has(formKey)) issues.push({ elementId, message: translate(locale, 'modeler.check.unknownFormKey', { formKey }) });

    const candidateGroups = attr(extensions(el, 'zeebe:AssignmentDefinition')[0], 'candidateGroups');
    if (candidateGroups && !isExpression(candidateGroups)) {
      for (const group of candidateGroups.split(',').map((g) => g.trim()).filter(Boolean)) {
        if (!known.candidateGroups.has(group)) issues.push({ elementId, message: translate(locale, 'modeler.check.unknownGroup', { group }) });
      }
    }
  }
  const jobType = attr(extensions(el, 'zeebe:TaskDefinition')[0], 'type');
  if (jobType && !isExpression(jobType) && jobType !== USER_TASK_JOB_TYPE && !known.jobTypes.has(jobType)) {
    issues.push({ elementId, message: translate(locale, 'modeler.check.noWorker', { jobType }) });
  }
  return issues;
}

/** The issues in the reader's language: they are shown beside the canvas. */
export function checkPlatformRules(definitions: El, known: KnownNames, locale: Locale): PlatformIssue[] {
  return allFlowElements(definitions).flatMap((el) => checkElement(el, known, locale));
}

/**
 * The six service lines (4.2/4.4): the codes the billing tables use and the Chinese names customers, agents and
 * the IVR use. Requests may name a line either way; workers keep the code and show the name.
 */
import type { ServiceLine } from '../db/seed/billing';

export const SERVICE_LINE_NAMES: Readonly<Record<ServiceLine, string>> = {
  mobile: '移动',
  ip: 'IP',
  internet: '互联网',
  long_distance: '长途',
  paging: '寻呼',
  local: '市话',
};

/** The codes, for zod enums of process variables. */
export const SERVICE_LINES = Object.keys(SERVICE_LINE_NAMES) as [ServiceLine, ...ServiceLine[]];

const CODE_BY_NAME = new Map(Object.entries(SERVICE_LINE_NAMES).map(([code, name]) => [name, code as ServiceLine]));

/** Every accepted spelling of a service line: its code or its Chinese name. */
export const SERVICE_LINE_SPELLINGS = [...Object.keys(SERVICE_LINE_NAMES), ...CODE_BY_NAME.keys()] as [string, ...string[]];

/** The code of a line given by code or Chinese name (one of SERVICE_LINE_SPELLINGS). */
export function serviceLineCode(spelling: string): ServiceLine {
  if (spelling in SERVICE_LINE_NAMES) return spelling as ServiceLine;
  const code = CODE_BY_NAME.get(spelling);
  if (code === undefined) throw new Error(`Unknown service line: ${JSON.stringify(spelling)}`);
  return code;
}

/**
 * The staffed service hours (人工服务时段) from the SLA configuration, in Beijing time; outside them calls take the
 * night route (夜铃: IVR and voicemail). There is no built-in default: an unconfigured window is a setup error.
 */
import type { Knex } from 'knex';
import { slaValues } from '../db/slaConfig';

const BEIJING_OFFSET_MINUTES = 8 * 60;
const DAY_MINUTES = 24 * 60;

export interface ServiceHours {
  /** Minutes after Beijing midnight when agents start answering. */
  start: number;
  /** Minutes after Beijing midnight when they stop; a window may run past midnight (end < start). */
  end: number;
}

export async function serviceHours(knex: Knex): Promise<ServiceHours> {
  const values = await slaValues(knex, ['service_hours.start', 'service_hours.end']);
  return { start: values['service_hours.start'], end: values['service_hours.end'] };
}

/** Whether `at` falls outside the window; equal start and end mean agents answer around the clock. */
export function outsideServiceHours(at: Date, hours: ServiceHours): boolean {
  const minute = (Math.floor(at.getTime() / 60_000) + BEIJING_OFFSET_MINUTES) % DAY_MINUTES;
  if (hours.start === hours.end) return false;
  const inside = hours.start < hours.end ? minute >= hours.start && minute < hours.end : minute >= hours.start || minute < hours.end;
  return !inside;
}

/**
 * Builders for the fields and actions the form definitions share, so every text field gets a length limit and
 * fields that mean the same thing in several forms (reached, satisfaction, ...) are defined once.
 */
import type { FieldOption, FieldSchema, FormAction, Localized } from '../schema';
import { SATISFACTION } from './options';

export const TEXT_MAX_LENGTH = 200;
export const TEXTAREA_MAX_LENGTH = 2000;

type Extra = Omit<FieldSchema, 'name' | 'type' | 'label' | 'options'>;

export const l = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

export const text = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'text', label, maxLength: TEXT_MAX_LENGTH, ...extra });
export const textarea = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'textarea', label, maxLength: TEXTAREA_MAX_LENGTH, ...extra });
export const integer = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'integer', label, ...extra });
export const boolean = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'boolean', label, ...extra });
export const datetime = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'datetime', label, ...extra });
export const phone = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'phone', label, maxLength: 20, ...extra });
export const email = (name: string, label: Localized, extra: Extra = {}): FieldSchema => ({ name, type: 'email', label, maxLength: TEXT_MAX_LENGTH, ...extra });
export const select = (name: string, label: Localized, options: FieldOption[], extra: Extra = {}): FieldSchema => ({ name, type: 'select', label, options, ...extra });

/** The customers table's id: a positive integer. */
export const customerId = (extra: Extra = {}) => integer('customerId', l('客户编号', 'Customer id'), { min: 1, ...extra });

/** Whether a call got through, and how satisfied the customer was when it did (回访). */
export const callbackFields = (noteName: string): FieldSchema[] => [
  boolean('reached', l('已接通', 'Reached')),
  select('satisfaction', l('满意度', 'Satisfaction'), SATISFACTION, { requiredWhen: { field: 'reached', equals: true } }),
  textarea(noteName, l('回访记录', 'Call notes')),
];

/** The one button of forms that just complete their task. */
export const COMPLETE: FormAction = { id: 'complete', label: l('提交', 'Submit'), kind: 'complete' };

/** The fields of the admin's user forms, validated with field-level message keys. */
import { z } from 'zod';
import { passwordRuleViolation } from '../auth/passwords';
import { ROLES, type Role } from '../auth/sessionUser';
import type { Locale, MessageKey } from '../i18n';
import { authMessages } from '../i18n/auth';

/** A form field sent once, many times (checkboxes) or not at all, as a list. */
const list = (item: z.ZodType<string>) =>
  z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item).max(50));

const accessFields = {
  roles: list(z.enum(ROLES, { error: 'admin.unknownRole' })).pipe(z.array(z.enum(ROLES)).min(1, { error: 'admin.rolesRequired' })),
  centers: list(z.string().max(16)).pipe(z.array(z.string()).min(1, { error: 'admin.centersRequired' })),
};

const accessSchema = z.object(accessFields);

const newUserSchema = z.object({
  username: z
    .string({ error: 'admin.usernameFormat' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9._-]{2,31}$/, { error: 'admin.usernameFormat' }),
  displayName: z.string({ error: 'admin.displayNameRequired' }).trim().min(1, { error: 'admin.displayNameRequired' }).max(64, { error: 'admin.displayNameRequired' }),
  email: z
    .string({ error: 'admin.emailInvalid' })
    .trim()
    .max(254, { error: 'admin.emailInvalid' })
    .refine((email) => email === '' || z.email().safeParse(email).success, { error: 'admin.emailInvalid' }),
  password: z.string({ error: 'auth.passwordTooShort' }),
  locale: z.enum(['zh-CN', 'en']).catch('zh-CN'),
  ...accessFields,
});

export type FieldErrors = Record<string, MessageKey>;

export interface AccessInput {
  roles: Role[];
  centers: string[];
}

export interface NewUserInput extends AccessInput {
  username: string;
  displayName: string;
  email: string | null;
  password: string;
  locale: Locale;
}

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    // The schema's own messages are catalogue keys; anything zod says by itself (wrong type) is generic.
    errors[field] ??= issue.message in authMessages['zh-CN'] ? (issue.message as MessageKey) : 'admin.formErrors';
  }
  return errors;
}

function checkCenters(centers: readonly string[], known: readonly string[], errors: FieldErrors): void {
  if (!errors.centers && centers.some((center) => !known.includes(center))) errors.centers = 'admin.unknownCenter';
}

export function parseAccess(body: unknown, knownCenters: readonly string[]): Result<AccessInput> {
  const parsed = accessSchema.safeParse(body);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success) checkCenters(parsed.data.centers, knownCenters, errors);
  return parsed.success && Object.keys(errors).length === 0 ? { ok: true, value: parsed.data } : { ok: false, errors };
}

export function parseNewUser(body: unknown, knownCenters: readonly string[]): Result<NewUserInput> {
  const parsed = newUserSchema.safeParse(body);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (parsed.success) {
    checkCenters(parsed.data.centers, knownCenters, errors);
    const violation = passwordRuleViolation(parsed.data.password, parsed.data.username);
    if (violation) errors.password = violation;
  } else if (!errors.password) {
    const raw = body as Record<string, unknown>;
    const violation = passwordRuleViolation(String(raw.password ?? ''), String(raw.username ?? ''));
    if (violation) errors.password = violation;
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...parsed.data, email: parsed.data.email || null } };
}

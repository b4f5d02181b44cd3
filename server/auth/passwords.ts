/**
 * Staff passwords: scrypt with a per-user salt (stored as `scrypt$N$r$p$salt$hash`, base64), compared in constant
 * time, and the complexity rule of spec 9.2.3.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { MessageKey } from '../i18n';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the scrypt input so a megabyte "password" costs no more than a normal one. */
export const PASSWORD_MAX_LENGTH = 128;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

// A hash of nothing anyone knows: checking against it when the user does not exist makes an unknown username
// take as long as a wrong password, so response times do not reveal which usernames exist.
const UNKNOWN_USER_HASH = `scrypt$${N}$${R}$${P}$${randomBytes(16).toString('base64')}$${randomBytes(KEY_LENGTH).toString('base64')}`;

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = (stored ?? UNKNOWN_USER_HASH).split('$');
  if (scheme !== 'scrypt' || !salt || !hash || password.length > PASSWORD_MAX_LENGTH) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected) && stored !== undefined;
}

/** The first rule `password` breaks, as a message key, or undefined when it is acceptable. */
export function passwordRuleViolation(password: string, username: string): MessageKey | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) return 'auth.passwordTooShort';
  if (password.length > PASSWORD_MAX_LENGTH) return 'auth.passwordTooLong';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (classes < 3) return 'auth.passwordClasses';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'auth.passwordHasUsername';
  return undefined;
}

/** A random password that meets the rule, for an administrator's reset. */
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const body = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${body}#${randomInt(10)}Aa`;
}

/**
 * Who is signed in: the contract between authentication (server/auth) and every page and API that decides
 * what a user may see and do. Roles come from the process catalogue's organisation; a user's candidate groups
 * (what the BPMN user tasks name) follow from their roles and centers.
 */
import type { NextFunction, Request, Response } from 'express';
import { translate, type Locale } from '../i18n';
import { isApiRequest } from '../web/apiRequest';

export const ROLES = [
  'agent', // 座席
  'team-lead', // 班长
  'backoffice', // 后台处理
  'outbound-agent', // 外呼
  'vip-manager', // 大客户经理
  'supervisor', // 督办
  'city-handler', // 地市处理人员: candidate group city-<center code>
  'national-agent',
  'national-supervisor',
  'analyst', // 流程设计
  'auditor', // 只读审计
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  roles: readonly Role[];
  /** Center codes the user works for (cn, gd, gz, sz, fs). */
  centers: readonly string[];
  /** Candidate groups of user tasks the user may work: candidateGroupsOf(roles, centers). */
  groups: readonly string[];
  locale: Locale;
}

/**
 * The BPMN candidate groups of a user. A city handler works the `city-<code>` group of each city center they
 * belong to; every other working role is a group of the same name. Analysts, auditors and admins work no tasks.
 */
export function candidateGroupsOf(roles: readonly Role[], centers: readonly string[]): string[] {
  const groups = new Set<string>();
  for (const role of roles) {
    if (role === 'city-handler') for (const center of centers) groups.add(`city-${center}`);
    else if (role !== 'analyst' && role !== 'auditor' && role !== 'admin') groups.add(role);
  }
  return [...groups].sort();
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the session middleware for a signed-in user. */
    user?: SessionUser;
    /** The page language: `?lang=`, else the visitor's earlier choice, else the user's setting, else zh-CN. */
    locale: Locale;
  }
}

export function hasRole(user: SessionUser | undefined, ...roles: Role[]): boolean {
  return user !== undefined && user.roles.some((role) => roles.includes(role));
}

/** The signed-in user of a request that passed requireLogin. */
export function currentUser(request: Request): SessionUser {
  if (!request.user) throw new Error('currentUser() called on a request without a signed-in user');
  return request.user;
}

/**
 * Lets a request through only for a signed-in user with one of `roles` (any signed-in user when none are given).
 * Pages send a signed-out visitor to the login page; the JSON API answers 401. A signed-in user without the
 * role gets 403.
 */
export function requireRole(...roles: Role[]) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!request.user) {
      if (isApiRequest(request)) {
        response.status(401).json({ error: 'not signed in' });
      } else {
        const expired = response.locals.sessionExpired === true ? '&expired=1' : '';
        response.redirect(`/login?next=${encodeURIComponent(request.originalUrl)}${expired}`);
      }
      return;
    }
    if (roles.length > 0 && !hasRole(request.user, ...roles)) {
      response.status(403);
      if (isApiRequest(request)) response.json({ error: `requires one of the roles: ${roles.join(', ')}` });
      else response.type('text').send(translate(request.locale ?? 'zh-CN', 'auth.forbidden', { roles: roles.join(', ') }));
      return;
    }
    next();
  };
}

export const requireLogin = requireRole();

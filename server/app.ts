/**
 * The web server: secure headers, bounded body parsing, sessions, CSRF protection, then the pages and APIs of
 * each area. Every area's router is mounted with one line in createApp and receives the same dependencies.
 */
import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import { adminRouter } from './admin/adminRouter';
import { authRouter, requireCurrentPassword } from './auth/authRouter';
import { csrfProtection } from './auth/csrf';
import { requestContext } from './auth/requestContext';
import { SESSION_ABSOLUTE_HOURS, type SessionPolicy } from './auth/sessions';
import { translate } from './i18n';
import type { Mailer } from './mail/mailer';
import { inboxRouter } from './inbox/router';
import { modelerAssets, modelerRouter } from './modeler/router';
import { serveAppStylesheet } from './web/appStylesheet';
import { statusPagesRouter, type PlatformStatus } from './web/statusPages';
import { answersInJson } from './web/apiRequest';

export type { PlatformStatus } from './web/statusPages';
export { csrfTokenOf } from './auth/requestContext';

export interface AppDependencies {
  knex: Knex;
  zbc: ZBClient;
  mailer: Mailer;
  status: PlatformStatus;
  /** The server's clock (sessions, password age, audit); tests move it together with the engine's. */
  now?: () => Date;
  /** Minutes of inactivity that end a session; default SESSION_IDLE_MINUTES or 30. */
  sessionIdleMinutes?: number;
}

/** What every router gets: the dependencies with defaults filled in. */
export type ServerDependencies = Required<AppDependencies>;

const BODY_LIMIT = '100kb';

function withDefaults(deps: AppDependencies): ServerDependencies {
  const idle = deps.sessionIdleMinutes ?? Number(process.env.SESSION_IDLE_MINUTES ?? 30);
  if (!Number.isFinite(idle) || idle <= 0) throw new Error(`SESSION_IDLE_MINUTES must be a positive number, not "${process.env.SESSION_IDLE_MINUTES}"`);
  return { ...deps, now: deps.now ?? (() => new Date()), sessionIdleMinutes: idle };
}

const handleErrors: ErrorRequestHandler = (error, request, response, _next) => {
  const type = (error as { type?: string }).type;
  const locale = request.locale ?? 'zh-CN';
  const status = type === 'entity.too.large' ? 413 : type === 'entity.parse.failed' || type === 'charset.unsupported' ? 400 : 500;
  if (status === 500) console.error('server: request failed', request.method, request.originalUrl, error);
  const message = translate(locale, status === 413 ? 'auth.bodyTooLarge' : status === 400 ? 'auth.badRequest' : 'auth.serverError');
  if (response.headersSent) return;
  response.status(status);
  if (answersInJson(request)) response.json({ error: message });
  else response.type('text').send(message);
};

export function createApp(appDependencies: AppDependencies): Express {
  const deps = withDefaults(appDependencies);
  const policy: SessionPolicy = { idleMinutes: deps.sessionIdleMinutes, absoluteHours: SESSION_ABSOLUTE_HOURS };
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy on the same host, req.secure follows X-Forwarded-Proto (Secure cookies).
  app.set('trust proxy', 'loopback');

  app.use((_request, response, next) => {
    response.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_request, response) => `'nonce-${(response as express.Response).locals.cspNonce}'`],
          styleSrc: ["'self'", (_request, response) => `'nonce-${(response as express.Response).locals.cspNonce}'`],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.get('/health', (_request, response) => {
    response.json({ status: 'UP', engine: deps.status.engineAddress, database: deps.status.database });
  });
  app.get('/static/app.css', serveAppStylesheet);
  app.use('/modeler/assets', modelerAssets());

  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 1000 }));
  app.use(express.json({ limit: BODY_LIMIT }));
  app.use(requestContext({ knex: deps.knex, now: deps.now, policy }));
  app.use(csrfProtection);
  app.use(requireCurrentPassword);

  app.use(authRouter({ knex: deps.knex, now: deps.now, policy }));
  app.use(statusPagesRouter(deps.status));
  app.use(adminRouter(deps));
  // Other areas mount their routers here, one line each: app.use(xxxRouter(deps));
  app.use(modelerRouter(deps));
  app.use(inboxRouter(deps));

  app.use(handleErrors);
  return app;
}

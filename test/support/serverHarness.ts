/**
 * The web server around a test platform (usePlatform: engine, demo data, SMTP catcher, job workers) with the demo
 * users seeded, listening on a free loopback port. Tests talk to it over real HTTP with fetch and a cookie jar,
 * as a browser without JavaScript would: `login()` signs in through the login form, `postForm()` sends the CSRF
 * token the pages carry. The server's clock is the platform's, so `advanceClock()` also ages sessions.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CENTERS } from '../../db/seed/centers';
import { DEMO_PASSWORD, seedDemoUsers } from '../../db/seed/demoUsers';
import { createApp } from '../../server/app';
import { usePlatform, type PlatformOptions, type SuitePlatform } from './platformHarness';

export { DEMO_PASSWORD } from '../../db/seed/demoUsers';

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body as text (read once, kept). */
  text: string;
  json<T = any>(): T;
  /** The Location header of a redirect (redirects are not followed). */
  location: string | null;
}

export interface HttpSession {
  /** Who signed in; undefined for a signed-out client. */
  readonly username: string | undefined;
  get(path: string): Promise<HttpResponse>;
  /** Sends an urlencoded form with the CSRF token added as `_csrf` (unless `fields` sets `_csrf` itself). */
  postForm(path: string, fields: Record<string, string | readonly string[]>): Promise<HttpResponse>;
  /** Sends JSON with the CSRF token in `x-csrf-token`. */
  postJson(path: string, body: unknown, options?: { method?: string }): Promise<HttpResponse>;
  /** The CSRF token of this client's session, fetched on first use. */
  csrfToken(): Promise<string>;
  /** Any request, with this session's cookies and no CSRF token added. */
  request(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<HttpResponse>;
}

export interface TestServer extends SuitePlatform {
  baseUrl: string;
  /** A client that has not signed in. */
  client(): HttpSession;
  /** Signs in through the login form; fails the test when the sign-in is refused. */
  login(username: string, password?: string): Promise<HttpSession>;
}

/**
 * `seed: false` leaves out the customers and bills (the centers and demo users are still there) and `workers: []`
 * the job workers: suites about sign-in and pages start much faster without them.
 */
export interface TestServerOptions extends PlatformOptions {
  sessionIdleMinutes?: number;
}

function csrfFromHtml(html: string): string | undefined {
  return /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
}

/** A cookie-keeping HTTP client for a platform at `baseUrl` (also one started as its own process). */
export function createHttpSession(baseUrl: string, username?: string): HttpSession & { signedInAs(name: string): void } {
  const cookies = new Map<string, string>();
  let token: string | undefined;
  let user = username;

  async function request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const cookieHeader = [...cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
    const response = await fetch(baseUrl + path, {
      method,
      body: init.body,
      redirect: 'manual',
      headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), ...init.headers },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = decodeURIComponent(pair!.slice(at + 1).trim());
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
      // A new session comes with a new CSRF token.
      if (name === 'sid') token = undefined;
    }
    const text = await response.text();
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) token = csrfFromHtml(text) ?? token;
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text), location: response.headers.get('location') };
  }

  async function csrfToken(): Promise<string> {
    if (token) return token;
    if (cookies.has('sid')) token = (await request('GET', '/api/session')).json<{ csrfToken: string }>().csrfToken;
    else token = csrfFromHtml((await request('GET', '/login')).text);
    if (!token) throw new Error('no CSRF token found for this client');
    return token;
  }

  return {
    get username() {
      return user;
    },
    signedInAs(name: string) {
      user = name;
    },
    request,
    csrfToken,
    get: (path) => request('GET', path),
    async postForm(path, fields) {
      const form = new URLSearchParams();
      if (!('_csrf' in fields)) form.append('_csrf', await csrfToken());
      for (const [name, value] of Object.entries(fields)) {
        for (const item of typeof value === 'string' ? [value] : value) form.append(name, item);
      }
      return request('POST', path, { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    },
    async postJson(path, body, options = {}) {
      return request(options.method ?? 'POST', path, {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'x-csrf-token': await csrfToken() },
      });
    },
  };
}

/** Signs in through the login form of the platform at `baseUrl`; rejects when the sign-in is refused. */
export async function signIn(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<HttpSession> {
  const session = createHttpSession(baseUrl);
  const response = await session.postForm('/login', { username, password });
  if (response.status !== 303) throw new Error(`login as ${username} refused: HTTP ${response.status}`);
  session.signedInAs(username);
  return session;
}

export function useTestServer(options: TestServerOptions = {}): TestServer {
  const suite = usePlatform(options) as TestServer;
  let server: Server | undefined;
  beforeAll(async () => {
    // Staff belong to centers: without the demo data set, the organisation is still needed.
    if (options.seed === false) await suite.knex('centers').insert(CENTERS).onConflict('code').ignore();
    await seedDemoUsers(suite.knex, { now: suite.now() });
    const app = createApp({
      knex: suite.knex,
      zbc: suite.zbc,
      mailer: suite.mailer,
      now: suite.now,
      sessionIdleMinutes: options.sessionIdleMinutes,
      status: {
        engineAddress: suite.engine.address,
        embeddedEngine: true,
        database: 'test database',
        mailDestination: 'mail catcher',
        processes: () => [],
        caughtMail: suite.caughtMail,
      },
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    suite.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    suite.client = () => createHttpSession(suite.baseUrl);
    suite.login = (username, password) => signIn(suite.baseUrl, username, password);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });
  return suite;
}

/** Sign-in, sign-out, sessions and the lock-out rule, over HTTP against the real app. */
import { SESSION_ABSOLUTE_HOURS } from '../../server/auth/sessions';
import { DEMO_PASSWORD, useTestServer } from '../support/serverHarness';

const server = useTestServer({ sessionIdleMinutes: 30, seed: false, workers: [] });

async function auditRows(action: string, target: string) {
  return server.knex('audit_log').where({ action, target }).orderBy('id');
}

test('the login page is Chinese by default and English on request', async () => {
  const client = server.client();
  const chinese = await client.get('/login');
  expect(chinese.status).toBe(200);
  expect(chinese.text).toContain('<html lang="zh-CN">');
  expect(chinese.text).toContain('用户名');
  expect(chinese.text).toMatch(/<meta name="csrf-token" content="[^"]{20,}">/);
  const english = await client.get('/login?lang=en');
  expect(english.text).toContain('<html lang="en">');
  expect(english.text).toContain('Username');
});

test('a demo user signs in, sees who they are and their roles, and signs out', async () => {
  const agent = await server.login('agent1');
  const status = await agent.get('/');
  expect(status.status).toBe(200);
  expect(status.text).toContain('王晓燕');
  expect(status.text).toContain('座席');
  expect(status.text).not.toContain('href="/admin"');
  const session = (await agent.get('/api/session')).json();
  expect(session).toMatchObject({ username: 'agent1', roles: ['agent'], centers: ['gd'], groups: ['agent'] });
  expect(await auditRows('login.success', 'agent1')).toHaveLength(1);

  const out = await agent.postForm('/logout', {});
  expect(out.status).toBe(303);
  expect(out.location).toBe('/login?out=1');
  const after = await agent.get('/');
  expect(after.status).toBe(302);
  expect(after.location).toMatch(/^\/login\?next=/);
  expect(await auditRows('logout', 'agent1')).toHaveLength(1);
});

test('a session cookie is HttpOnly and SameSite=Lax, and signing in issues a new session id', async () => {
  const client = server.client();
  await client.get('/login');
  const first = await client.postForm('/login', { username: 'backoffice1', password: DEMO_PASSWORD });
  const cookie = first.headers.getSetCookie().find((c) => c.startsWith('sid='))!;
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  const sessionsBefore: { id: string }[] = await server.knex('sessions').select('id');
  // Signing in again from the same browser replaces the session: the old id stops existing.
  const second = await client.postForm('/login', { username: 'backoffice1', password: DEMO_PASSWORD });
  expect(second.status).toBe(303);
  const sessionsAfter: { id: string }[] = await server.knex('sessions').select('id');
  expect(sessionsAfter.length).toBe(sessionsBefore.length);
  expect(sessionsAfter.map((s) => s.id)).not.toEqual(sessionsBefore.map((s) => s.id));
  const stored = await server.knex('sessions').select('id');
  // The table holds a hash of the cookie, not the cookie itself.
  expect(stored.map((s: { id: string }) => s.id)).not.toContain(decodeURIComponent(cookie.split(';')[0]!.slice(4)));
});

test('a wrong password and an unknown user get the same generic message', async () => {
  const client = server.client();
  const wrong = await client.postForm('/login', { username: 'outbound1', password: 'Wrong#Password1' });
  const unknown = await client.postForm('/login', { username: 'nobody-here', password: 'Wrong#Password1' });
  for (const response of [wrong, unknown]) {
    expect(response.status).toBe(401);
    expect(response.text).toContain('用户名或密码错误');
    expect(response.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(false);
  }
  // The form is shown again with the username, never with the password.
  expect(wrong.text).toContain('value="outbound1"');
  expect(wrong.text).not.toContain('Wrong#Password1');
  expect(await auditRows('login.failure', 'nobody-here')).toHaveLength(1);
});

test('five failed sign-ins lock the account; the right password is refused until an admin unlocks it', async () => {
  const client = server.client();
  for (let attempt = 1; attempt <= 5; attempt++) {
    const response = await client.postForm('/login', { username: 'vipmanager1', password: `Guess#${attempt}abcdef` });
    expect(response.status).toBe(401);
    expect(response.text).toContain('用户名或密码错误');
  }
  const locked = await client.postForm('/login', { username: 'vipmanager1', password: DEMO_PASSWORD });
  expect(locked.status).toBe(401);
  expect(locked.text).toContain('账号已锁定');
  await expect(server.login('vipmanager1')).rejects.toThrow(/refused/);
  expect(await auditRows('login.lock', 'vipmanager1')).toHaveLength(1);
  expect((await auditRows('login.failure', 'vipmanager1')).map((r) => r.detail.reason)).toEqual([
    ...Array(5).fill('wrong-password'),
    'locked',
    'locked',
  ]);

  const admin = await server.login('admin1');
  const { id } = await server.knex('users').where({ username: 'vipmanager1' }).first('id');
  const unlocked = await admin.postForm(`/admin/users/${id}/unlock`, {});
  expect(unlocked.status).toBe(200);
  expect(unlocked.text).toContain('已解锁');
  expect((await server.login('vipmanager1')).username).toBe('vipmanager1');
  expect(await server.knex('audit_log').where({ action: 'admin.user.unlock', actor: 'admin1', target: 'vipmanager1' })).toHaveLength(1);
});

test('a session ends after 30 idle minutes but not while it is used', async () => {
  const lead = await server.login('teamlead1');
  await server.advanceClock(20 * 60_000);
  expect((await lead.get('/')).status).toBe(200);
  await server.advanceClock(20 * 60_000);
  // 40 minutes after sign-in, but only 20 since the last request.
  expect((await lead.get('/')).status).toBe(200);
  await server.advanceClock(31 * 60_000);
  const expired = await lead.get('/');
  expect(expired.status).toBe(302);
  expect(expired.location).toContain('expired=1');
  const loginPage = await lead.get(expired.location!);
  expect(loginPage.text).toContain('会话已超时');
  expect((await lead.get('/api/session')).status).toBe(401);
});

test('a session in constant use still ends at its absolute lifetime', async () => {
  const lead = await server.login('teamlead1');
  const STEP = 25 * 60_000;
  let elapsed = 0;
  while (elapsed + STEP < SESSION_ABSOLUTE_HOURS * 3_600_000) {
    await server.advanceClock(STEP);
    elapsed += STEP;
    expect((await lead.get('/api/session')).status).toBe(200);
  }
  await server.advanceClock(SESSION_ABSOLUTE_HOURS * 3_600_000 - elapsed);
  expect((await lead.get('/api/session')).status).toBe(401);
});

test('/health stays public, the status and mail pages need a signed-in user', async () => {
  const client = server.client();
  expect((await client.get('/health')).status).toBe(200);
  for (const path of ['/', '/mail']) {
    const response = await client.get(path);
    expect(response.status).toBe(302);
    expect(response.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  }
});

test('after sign-in the user lands on the page they asked for, never on another site', async () => {
  const client = server.client();
  const back = await client.postForm('/login', { username: 'supervisor1', password: DEMO_PASSWORD, next: '/mail' });
  expect(back.location).toBe('/mail');
  const other = server.client();
  const offsite = await other.postForm('/login', { username: 'supervisor1', password: DEMO_PASSWORD, next: '//evil.example/x' });
  expect(offsite.location).toBe('/');
});

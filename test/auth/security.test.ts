/** CSRF protection, secure headers, body limits and escaping, over HTTP against the real app. */
import { useTestServer } from '../support/serverHarness';

const server = useTestServer({ seed: false, workers: [] });

test('a POST without or with a wrong CSRF token is refused with 403; with the token it goes through', async () => {
  const agent = await server.login('agent1');
  const missing = await agent.request('POST', '/logout', { body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(missing.status).toBe(403);
  expect(missing.text).toContain('CSRF');
  const wrong = await agent.postForm('/logout', { _csrf: 'forged-token-from-another-site' });
  expect(wrong.status).toBe(403);
  const wrongHeader = await agent.request('POST', '/logout', { body: '{}', headers: { 'content-type': 'application/json', 'x-csrf-token': 'nope' } });
  expect(wrongHeader.status).toBe(403);
  expect(wrongHeader.json()).toMatchObject({ error: 'csrf' });
  // Still signed in: the refused requests did nothing.
  expect((await agent.get('/api/session')).status).toBe(200);

  const ok = await agent.postForm('/logout', {});
  expect(ok.status).toBe(303);
  expect((await agent.get('/api/session')).status).toBe(401);
});

test('the sign-in form is CSRF-protected too, and one visitor\'s token does not work for another', async () => {
  const visitor = server.client();
  const other = server.client();
  const refused = await visitor.postForm('/login', { username: 'agent1', password: 'x', _csrf: await other.csrfToken() });
  expect(refused.status).toBe(403);
});

test('pages carry a strict CSP, frame and sniffing protection', async () => {
  const agent = await server.login('agent1');
  for (const response of [await server.client().get('/login'), await agent.get('/')]) {
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('x-powered-by')).toBeNull();
  }
  // Each response has its own nonce.
  const a = (await agent.get('/')).headers.get('content-security-policy');
  const b = (await agent.get('/')).headers.get('content-security-policy');
  expect(a).not.toBe(b);
  const css = await agent.get('/static/app.css');
  expect(css.status).toBe(200);
  expect(css.headers.get('content-type')).toMatch(/text\/css/);
});

test('a body over 100 KB is refused with 413 and a message, as form and as JSON', async () => {
  const agent = await server.login('agent1');
  const big = 'x'.repeat(150 * 1024);
  const form = await agent.postForm('/password', { currentPassword: big, newPassword: 'a', confirmPassword: 'a' });
  expect(form.status).toBe(413);
  expect(form.text).toContain('提交的内容过大');
  const json = await agent.postJson('/api/session', { filler: big });
  expect(json.status).toBe(413);
  expect(json.json()).toEqual({ error: '提交的内容过大（上限 100 KB）' });
  const malformed = await agent.request('POST', '/api/session', { body: '{"a":', headers: { 'content-type': 'application/json', 'x-csrf-token': await agent.csrfToken() } });
  expect(malformed.status).toBe(400);
});

test('a script in a display name is shown as text in the top bar and the user list', async () => {
  const admin = await server.login('admin1');
  const created = await admin.postForm('/admin/users', {
    username: 'xss.tester',
    displayName: '<script>alert("x")</script>',
    email: 'xss@kefu.example.cn',
    password: 'Harmless#2026x',
    roles: 'auditor',
    centers: 'gd',
  });
  expect(created.status).toBe(200);
  expect(created.text).not.toContain('<script>alert');
  expect(created.text).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
  const tester = await server.login('xss.tester', 'Harmless#2026x');
  const page = await tester.get('/password');
  expect(page.status).toBe(200);
  expect(page.text).not.toContain('<script>alert');
  expect(page.text).toContain('&#60;script&#62;');
});

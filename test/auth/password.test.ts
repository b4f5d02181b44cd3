/** Password changes: the complexity rule, and the forced change once a password is 90 days old. */
import { DEMO_PASSWORD, useTestServer } from '../support/serverHarness';

const server = useTestServer({ seed: false, workers: [] });
const DAY = 86_400_000;

test('a password change checks the current password, the rule and the confirmation, with a message per field', async () => {
  const agent = await server.login('outbound1');
  const page = await agent.postForm('/password', { currentPassword: 'wrong', newPassword: 'abcdefghij', confirmPassword: 'abcdefghik' });
  expect(page.status).toBe(400);
  expect(page.text).toContain('当前密码不正确');
  expect(page.text).toContain('至少三类');
  expect(page.text).toContain('两次输入的新密码不一致');
  for (const [password, message] of [
    ['Ab#1', '至少需要 10 个字符'],
    ['xOutbound1#yz', '不得包含用户名'],
    [DEMO_PASSWORD, '不能与当前密码相同'],
  ] as const) {
    const refused = await agent.postForm('/password', { currentPassword: DEMO_PASSWORD, newPassword: password, confirmPassword: password });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(message);
  }
  const english = await agent.postForm('/password?lang=en', { currentPassword: DEMO_PASSWORD, newPassword: 'short', confirmPassword: 'short' });
  expect(english.text).toContain('at least 10 characters');
  await agent.get('/?lang=zh-CN');

  const changed = await agent.postForm('/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Outgoing#Calls7', confirmPassword: 'Outgoing#Calls7' });
  expect(changed.status).toBe(303);
  await expect(server.login('outbound1')).rejects.toThrow(/refused/);
  expect((await server.login('outbound1', 'Outgoing#Calls7')).username).toBe('outbound1');
  expect(await server.knex('audit_log').where({ action: 'password.change', actor: 'outbound1' })).toHaveLength(1);
  const { password_hash } = await server.knex('users').where({ username: 'outbound1' }).first('password_hash');
  expect(password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
});

test('after 90 days the password must be changed before anything else', async () => {
  await server.advanceClock(91 * DAY);
  const agent = await server.login('agent1');
  for (const path of ['/', '/mail', '/admin/users']) {
    const blocked = await agent.get(path);
    expect(blocked.status).toBe(302);
    expect(blocked.location).toBe('/password');
  }
  expect((await agent.get('/password')).text).toContain('您的密码已过期');
  const changed = await agent.postForm('/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Fresh#Start2027', confirmPassword: 'Fresh#Start2027' });
  expect(changed.status).toBe(303);
  expect((await agent.get('/')).status).toBe(200);
});

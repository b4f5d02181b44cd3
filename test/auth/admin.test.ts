/** The user administration page: who may use it, creating users, roles and centers, resets; all audited. */
import { useTestServer } from '../support/serverHarness';

const server = useTestServer({ seed: false, workers: [] });

const NEW_USER = {
  username: 'handler-gz3',
  displayName: '新来的处理员',
  email: 'handler-gz3@kefu.example.cn',
  password: 'Guangzhou#2026',
  roles: ['city-handler'],
  centers: ['gz'],
};

async function userId(username: string): Promise<number> {
  return (await server.knex('users').where({ username }).first('id')).id;
}

test('only admins reach the administration: 403 for an agent, sign-in for a visitor', async () => {
  const agent = await server.login('agent1');
  const refused = await agent.get('/admin/users');
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('无权访问');
  expect((await agent.postForm('/admin/users', NEW_USER)).status).toBe(403);
  expect(await server.knex('users').where({ username: NEW_USER.username })).toHaveLength(0);

  const visitor = await server.client().get('/admin/users');
  expect(visitor.status).toBe(302);
  expect(visitor.location).toBe('/login?next=%2Fadmin%2Fusers');

  const admin = await server.login('admin1');
  const page = await admin.get('/admin/users');
  expect(page.status).toBe(200);
  expect(page.text).toContain('href="/admin"');
  for (const username of ['agent1', 'handler-sz1', 'natsup1', 'auditor1']) expect(page.text).toContain(`data-username="${username}"`);
});

test('the create form checks every field, says what is wrong and keeps the input', async () => {
  const admin = await server.login('admin1');
  const response = await admin.postForm('/admin/users', {
    username: 'X',
    displayName: '张三<b>',
    email: 'not-an-email',
    password: 'short',
    centers: ['gz', 'zz'],
  });
  expect(response.status).toBe(400);
  expect(response.text).toContain('用户名须为 3–32 位');
  expect(response.text).toContain('电子邮箱格式不正确');
  expect(response.text).toContain('密码至少需要 10 个字符');
  expect(response.text).toContain('请至少选择一个角色');
  expect(response.text).toContain('value="张三&#60;b&#62;"');
  expect(response.text).toContain('value="not-an-email"');
  expect(response.text).not.toContain('value="short"');

  const rules = [
    { password: 'alllowercase1', message: '至少三类' },
    { password: 'Handler-gz3#x', message: '不得包含用户名' },
  ];
  for (const { password, message } of rules) {
    const refused = await admin.postForm('/admin/users', { ...NEW_USER, password });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(message);
  }
  const badCenter = await admin.postForm('/admin/users', { ...NEW_USER, centers: ['gz', 'zz'] });
  expect(badCenter.text).toContain('未知中心');
  const badRole = await admin.postForm('/admin/users', { ...NEW_USER, roles: ['root'] });
  expect(badRole.text).toContain('未知角色');
  const taken = await admin.postForm('/admin/users', { ...NEW_USER, username: 'agent1' });
  expect(taken.text).toContain('该用户名已存在');
  expect(await server.knex('users').where({ username: NEW_USER.username })).toHaveLength(0);
});

test('a user the admin creates signs in, must choose their own password, then works with their groups', async () => {
  const admin = await server.login('admin1');
  const created = await admin.postForm('/admin/users', NEW_USER);
  expect(created.status).toBe(200);
  expect(created.text).toContain('用户 handler-gz3 已创建');
  expect(await server.knex('audit_log').where({ action: 'admin.user.create', actor: 'admin1', target: 'handler-gz3' })).toHaveLength(1);

  const user = await server.login(NEW_USER.username, NEW_USER.password);
  const blocked = await user.get('/');
  expect(blocked.status).toBe(302);
  expect(blocked.location).toBe('/password');
  expect((await user.get('/password')).text).toContain('请先修改密码');
  const changed = await user.postForm('/password', { currentPassword: NEW_USER.password, newPassword: 'Mine#Own#2026', confirmPassword: 'Mine#Own#2026' });
  expect(changed.status).toBe(303);
  expect((await user.get('/')).status).toBe(200);
  expect((await user.get('/api/session')).json()).toMatchObject({ roles: ['city-handler'], centers: ['gz'], groups: ['city-gz'] });
});

test('granting and revoking roles and centers changes what the user is, and is audited', async () => {
  const admin = await server.login('admin1');
  const id = await userId('handler-sz1');
  const granted = await admin.postForm(`/admin/users/${id}/access`, { roles: ['city-handler', 'team-lead'], centers: ['sz', 'fs'] });
  expect(granted.status).toBe(200);
  const handler = await server.login('handler-sz1');
  expect((await handler.get('/api/session')).json()).toMatchObject({ roles: ['team-lead', 'city-handler'], centers: ['fs', 'sz'], groups: ['city-fs', 'city-sz', 'team-lead'] });

  const revoked = await admin.postForm(`/admin/users/${id}/access`, { roles: ['city-handler'], centers: ['sz'] });
  expect(revoked.status).toBe(200);
  expect((await handler.get('/api/session')).json()).toMatchObject({ roles: ['city-handler'], centers: ['sz'], groups: ['city-sz'] });
  const audit = await server.knex('audit_log').where({ action: 'admin.user.access', target: 'handler-sz1' }).orderBy('id');
  expect(audit.map((row) => row.detail.after)).toEqual([
    { roles: ['city-handler', 'team-lead'], centers: ['sz', 'fs'] },
    { roles: ['city-handler'], centers: ['sz'] },
  ]);

  const empty = await admin.postForm(`/admin/users/${id}/access`, {});
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('请至少选择一个角色');
  expect((await admin.get('/admin/users/999999')).status).toBe(404);
  expect((await admin.get('/admin/users/abc')).status).toBe(404);
});

test('a password reset gives a temporary password, ends the user\'s sessions and forces a change', async () => {
  const analyst = await server.login('analyst1');
  const admin = await server.login('admin1');
  const reset = await admin.postForm(`/admin/users/${await userId('analyst1')}/reset-password`, {});
  expect(reset.status).toBe(200);
  const temporary = /临时密码：([^（]+)（/.exec(reset.text)?.[1];
  expect(temporary).toBeDefined();
  expect((await analyst.get('/api/session')).status).toBe(401);
  await expect(server.login('analyst1')).rejects.toThrow(/refused/);
  const again = await server.login('analyst1', temporary!);
  expect((await again.get('/')).location).toBe('/password');
  expect(await server.knex('audit_log').where({ action: 'admin.user.reset-password', target: 'analyst1' })).toHaveLength(1);
});

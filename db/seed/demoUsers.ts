/**
 * Demo staff: one user per role (and one city handler per city, two for 广州), all with DEMO_PASSWORD and the
 * e-mail `<username>@kefu.example.cn`. Creates only the users that are missing, so it runs on every start.
 */
import type { Knex } from 'knex';
import type { Role } from '../../server/auth/sessionUser';
import { createUser, findUserByUsername } from '../../server/auth/users';

export const DEMO_PASSWORD = 'Unicom#2026';

export interface DemoUser {
  username: string;
  displayName: string;
  roles: Role[];
  centers: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'agent1', displayName: '王晓燕', roles: ['agent'], centers: ['gd'] },
  { username: 'teamlead1', displayName: '李建国', roles: ['team-lead'], centers: ['gd'] },
  { username: 'backoffice1', displayName: '陈静', roles: ['backoffice'], centers: ['gd'] },
  { username: 'outbound1', displayName: '赵敏', roles: ['outbound-agent'], centers: ['gd'] },
  { username: 'vipmanager1', displayName: '刘洋', roles: ['vip-manager'], centers: ['gd'] },
  { username: 'supervisor1', displayName: '黄志强', roles: ['supervisor'], centers: ['gd'] },
  { username: 'handler-gz1', displayName: '周丽', roles: ['city-handler'], centers: ['gz'] },
  { username: 'handler-gz2', displayName: '吴刚', roles: ['city-handler'], centers: ['gz'] },
  { username: 'handler-sz1', displayName: '郑海', roles: ['city-handler'], centers: ['sz'] },
  { username: 'handler-fs1', displayName: '孙娜', roles: ['city-handler'], centers: ['fs'] },
  { username: 'national1', displayName: '马骏', roles: ['national-agent'], centers: ['cn'] },
  { username: 'natsup1', displayName: '高峰', roles: ['national-supervisor'], centers: ['cn'] },
  { username: 'analyst1', displayName: '林涛', roles: ['analyst'], centers: ['gd'] },
  { username: 'auditor1', displayName: '何平', roles: ['auditor'], centers: ['cn'] },
  { username: 'admin1', displayName: '系统管理员', roles: ['admin'], centers: ['cn'] },
];

/** Returns the usernames it created. */
export async function seedDemoUsers(knex: Knex, options: { now?: Date } = {}): Promise<string[]> {
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    if (await findUserByUsername(knex, user.username)) continue;
    try {
      await createUser(knex, {
        ...user,
        email: `${user.username}@kefu.example.cn`,
        password: DEMO_PASSWORD,
        locale: 'zh-CN',
        mustChangePassword: false,
        now: options.now ?? new Date(),
      });
      created.push(user.username);
    } catch (error) {
      // Another process starting at the same time created it first.
      if (!(await findUserByUsername(knex, user.username))) throw error;
    }
  }
  return created;
}

/**
 * Task mail through nodemailer into the SMTP catcher: "assigned to you" once per assignment, a digest of new
 * tasks per member of the candidate groups that lists each task once, and "overdue" once per task — to the
 * assignee, or to the groups while nobody holds it. Template data is escaped.
 */
import type { SessionUser } from '../../server/auth/sessionUser';
import { sendAssignmentMails, sendOverdueMails, sendTaskDigests, type TaskMailContext } from '../../server/tasks';
import { assignTask } from '../../server/tasks/taskStore';
import { waitFor } from '../support/engineHarness';
import { usePlatform } from '../support/platformHarness';
import { insertCenters, insertTask, insertUser } from './fixtures';

const suite = usePlatform({ workers: [], seed: false });
let mail: TaskMailContext;
let lead: SessionUser;

describe('task notifications', () => {
  beforeAll(async () => {
    await insertCenters(suite.knex);
    mail = { knex: suite.knex, mailer: suite.mailer, baseUrl: 'http://inbox.test' };
    lead = await insertUser(suite.knex, { username: 'lead-fs', roles: ['team-lead'], centers: ['fs'] });
    await insertUser(suite.knex, { username: 'fs1', roles: ['city-handler'], centers: ['fs'] });
    await insertUser(suite.knex, { username: 'fs2', roles: ['city-handler'], centers: ['fs'] });
    await insertUser(suite.knex, { username: 'fs-nomail', roles: ['city-handler'], centers: ['fs'], email: null });
    await insertUser(suite.knex, { username: 'vip1', roles: ['vip-manager'], centers: ['gd'] });
  });

  async function mailsTo(address: string, subjectPart: string) {
    return (await suite.caughtMail()).filter((m) => m.rcptTo.includes(address) && m.subject.includes(subjectPart));
  }

  it('sends a digest per user listing the new tasks of their groups, each task only once', async () => {
    const first = await insertTask(suite.knex, { groups: ['city-fs'], center: 'fs', name: '<script>alert(1)</script>投诉' }, suite.now());
    await insertTask(suite.knex, { groups: ['vip-manager'], center: 'gd', name: '大客户回访' }, suite.now());
    expect(await sendTaskDigests(mail, suite.now())).toBe(3); // fs1, fs2, vip1
    await waitFor(async () => (await mailsTo('fs1@staff.example.cn', '新任务')).length === 1, { description: 'the first digest' });
    const [digest] = await mailsTo('fs1@staff.example.cn', '新任务');
    expect(digest!.subject).toBe('您的工作组有 1 个新任务');
    expect(digest!.htmlBody).toContain(`http://inbox.test/tasks/${first}`);
    expect(digest!.htmlBody).toContain('&lt;script&gt;');
    expect(digest!.htmlBody).not.toContain('<script>');
    expect((await mailsTo('vip1@staff.example.cn', '新任务'))[0]!.htmlBody).toContain('大客户回访');

    // Nothing new: no digest. One new task: the next digest lists only it.
    expect(await sendTaskDigests(mail, suite.now())).toBe(0);
    const second = await insertTask(suite.knex, { groups: ['city-fs'], center: 'fs', name: '第二个任务' }, suite.now());
    expect(await sendTaskDigests(mail, suite.now())).toBe(2);
    await waitFor(async () => (await mailsTo('fs2@staff.example.cn', '新任务')).length === 2, { description: 'the second digest' });
    const [latest] = await mailsTo('fs2@staff.example.cn', '新任务');
    expect(latest!.htmlBody).toContain(`/tasks/${second}`);
    expect(latest!.htmlBody).not.toContain(`/tasks/${first}`);
  });

  it('tells the assignee once about a task a lead assigned to them', async () => {
    const jobKey = await insertTask(suite.knex, { groups: ['city-fs'], center: 'fs', name: '分配测试' }, suite.now());
    await assignTask(suite.knex, lead, jobKey, 'fs2', suite.now());
    expect(await sendAssignmentMails(mail)).toBe(1);
    expect(await sendAssignmentMails(mail)).toBe(0);
    const mails = await waitFor(async () => {
      const found = await mailsTo('fs2@staff.example.cn', '任务已分配给您');
      return found.length > 0 ? found : undefined;
    }, { description: 'the assignment mail' });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('任务已分配给您：分配测试');
    expect(mails[0]!.htmlBody).toContain('lead-fs');
  });

  it('sends overdue mail once per task: to the assignee, or to the group while unassigned', async () => {
    const held = await insertTask(suite.knex, { groups: ['city-fs'], center: 'fs', name: '超时已认领', dueInHours: 1, assignee: 'fs1' }, suite.now());
    await insertTask(suite.knex, { groups: ['city-fs'], center: 'fs', name: '超时未认领', dueInHours: 1 }, suite.now());
    expect(await sendOverdueMails(mail, suite.now())).toBe(0);
    await suite.advanceClock(2 * 3_600_000);
    expect(await sendOverdueMails(mail, suite.now())).toBe(3); // fs1 for the held one; fs1 and fs2 for the other
    expect(await sendOverdueMails(mail, suite.now())).toBe(0);
    await waitFor(async () => (await mailsTo('fs2@staff.example.cn', '任务已超时')).length === 1, { description: 'overdue mail' });
    expect((await mailsTo('fs1@staff.example.cn', '任务已超时')).map((m) => m.subject).sort()).toEqual(['任务已超时：超时已认领', '任务已超时：超时未认领']);
    expect((await mailsTo('fs2@staff.example.cn', '任务已超时')).map((m) => m.subject)).toEqual(['任务已超时：超时未认领']);
    expect(await suite.knex('outbox').where('idempotency_key', 'like', `task-overdue:${held}:%`).pluck('recipient')).toEqual(['fs1@staff.example.cn']);
  });
});

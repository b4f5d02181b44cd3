/**
 * The task inbox in a real browser (Debian's Chromium through playwright-core) against the real server, engine,
 * job workers and task sourcing: an agent registers a complaint through the form, is told about a missing field,
 * corrects it and completes it, and the city's next step appears in a city handler's inbox; a team lead assigns
 * a task, which then is in the member's own list and in their mail. Skipped when Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from '../support/engineHarness';
import { DEMO_PASSWORD } from '../support/serverHarness';
import { useInboxSuite } from './inboxSuite';

const CHROMIUM = '/usr/bin/chromium';
const describeIfChromium = existsSync(CHROMIUM) ? describe : describe.skip;

describeIfChromium('task inbox in the browser', () => {
  // Assignment mail goes out promptly, so the assigned member's mail can be awaited.
  const suite = useInboxSuite({ mailIntervalMs: 100 });
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Signs in through the login form in a browser context of its own (its own cookies) and lands on `next`. */
  async function signIn(username: string, next = '/tasks'): Promise<Page> {
    const context = await browser.newContext({ baseURL: suite.baseUrl, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('form[action="/login"] button[type="submit"]');
    await page.waitForURL((url) => url.pathname + url.search === next);
    return page;
  }

  const taskRow = (page: Page, jobKey: string) => page.locator(`table.tasks tr[data-job-key="${jobKey}"]`);

  it('an agent claims a complaint, is told about the missing field, completes it, and the city sees the next step', async () => {
    const customer = await suite.gzCustomer();
    const complaint = await suite.startComplaint();
    const register = await suite.taskOf(complaint, 'register');

    const agent = await signIn('agent1');
    expect(await agent.locator('nav.tabs a[aria-current="page"]').getAttribute('data-list')).toBe('groups');
    await taskRow(agent, register).locator('a').click();
    await agent.waitForURL(`**/tasks/${register}`);
    expect(await agent.locator('form.task-form').getAttribute('data-form-key')).toBe('complaint-register');

    await agent.click('button[data-action="claim"]');
    await agent.waitForURL(`**/tasks/${register}?flash=claimed`);
    expect(await agent.textContent('#task-assignee')).toBe('agent1');

    await agent.fill('#field-customerId', String(customer.id));
    await agent.fill('#field-phoneNumber', customer.phone);
    await agent.selectOption('#field-serviceLine', 'mobile');
    await agent.selectOption('#field-kind', 'complaint');
    await agent.selectOption('#field-category', '网络质量');
    await agent.selectOption('#field-urgency', 'normal');
    // Blanks pass the browser's own check of a required field; the server's validation catches them.
    await agent.fill('#field-description', '   ');
    await agent.click('button[name="action"][value="complete"]');
    const message = agent.locator('[data-field="description"] .field-error');
    await message.waitFor();
    expect(await message.textContent()).toBe('此项必填');
    expect(await agent.getAttribute('#field-description', 'aria-invalid')).toBe('true');
    expect(await agent.locator('.field-error').count()).toBe(1);
    expect(await agent.inputValue('#field-phoneNumber')).toBe(customer.phone);
    expect(await agent.inputValue('#field-customerId')).toBe(String(customer.id));
    expect(await agent.inputValue('#field-category')).toBe('网络质量');

    await agent.fill('#field-description', '家中室内信号差，通话经常中断。');
    await agent.click('button[name="action"][value="complete"]');
    await agent.waitForURL('**/tasks?flash=completed');
    expect(await agent.textContent('p.notice')).toContain('任务已完成');
    expect(await taskRow(agent, register).count()).toBe(0);

    // The workers acknowledge the complaint and dispatch it to the customer's city, gz.
    const sign = await suite.taskOf(complaint, 'sign-for');
    const handler = await signIn('handler-gz1');
    const row = taskRow(handler, sign);
    expect(await row.getAttribute('data-form-key')).toBe('city-complaint-sign');
    expect(await row.locator('td.customer-number').textContent()).toBe(customer.phone);
    await row.locator('a').click();
    await handler.waitForURL(`**/tasks/${sign}`);
    expect(await handler.textContent('[data-context="description"]')).toBe('家中室内信号差，通话经常中断。');
    await Promise.all([agent.context().close(), handler.context().close()]);
  });

  it('a team lead assigns a task of their center to a group member, who finds it under my tasks and in their mail', async () => {
    const complaint = await suite.startComplaint();
    const register = await suite.taskOf(complaint, 'register');

    const lead = await signIn('teamlead1', '/tasks?list=center');
    await taskRow(lead, register).locator('a').click();
    await lead.waitForURL(`**/tasks/${register}`);
    // A lead outside the task's groups may look at the form but not work it.
    expect(await lead.locator('form.task-form button[name="action"]').count()).toBe(0);
    await lead.selectOption('#assignee', 'agent1');
    await lead.click('button[data-action="assign"]');
    await lead.waitForURL(`**/tasks/${register}?flash=assigned`);
    expect(await lead.textContent('p.notice')).toContain('已将任务分配给 agent1');
    expect(await lead.textContent('#task-assignee')).toBe('agent1');

    const member = await signIn('agent1');
    await member.click('nav.tabs a[data-list="mine"]');
    await member.waitForURL((url) => url.searchParams.get('list') === 'mine');
    expect(await taskRow(member, register).locator('td.assignee').textContent()).toBe('agent1');
    expect(Number(await member.textContent('nav.tabs [data-count="mine"]'))).toBeGreaterThanOrEqual(1);

    const mail = await waitFor(
      async () => (await suite.caughtMail()).find((m) => m.rcptTo.includes('agent1@kefu.example.cn') && m.subject.startsWith('任务已分配给您')),
      { timeoutMs: 5_000, description: 'the assignment mail to agent1' },
    );
    expect(mail.textBody ?? mail.htmlBody).toContain(`/tasks/${register}`);
    await Promise.all([lead.context().close(), member.context().close()]);
  });
});

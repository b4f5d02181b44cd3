/**
 * The modeler in Debian's Chromium: an analyst opens the complaint model, renames a task and changes a timer in
 * the properties panel, removes a form key and sees the check complain, saves a draft, compares it with the
 * deployed version, deploys, and a new instance runs the new version. bpmn-js speaks the page's language:
 * Simplified Chinese by default, its English originals with `?lang=en`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { processFile } from '../../processes/catalogue';
import { ensureModelerBundle } from '../../server/modeler/bundle';
import { DEMO_PASSWORD, useTestServer } from '../support/serverHarness';

const CHROMIUM = '/usr/bin/chromium';
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithBrowser('the modeler in a browser', () => {
  const server = useTestServer();
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureModelerBundle();
    await server.zbc.deployResource({ name: 'complaint.bpmn', process: readFileSync(processFile('complaint')) });
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A signed-in analyst's browser tab on the complaint model's modeler, in the given language (remembered per user). */
  async function openModeler(lang: 'zh-CN' | 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.baseUrl}/login`);
    await page.fill('#username', 'analyst1');
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('button[type=submit]')]);
    await page.goto(`${server.baseUrl}/modeler/complaint/edit?lang=${lang}`);
    await page.waitForSelector('body[data-modeler-ready="true"]');
    return page;
  }

  /** Selects a diagram element the way a click on it does (the palette may cover it at this zoom). */
  async function select(page: Page, elementId: string): Promise<void> {
    await page.dispatchEvent(`#modeler-canvas [data-element-id="${elementId}"]`, 'click');
    // The panel shows the selected element's id once it has switched to it.
    await page.waitForFunction(`document.querySelector('#bio-properties-panel-id')?.value === ${JSON.stringify(elementId)}`);
  }

  /** What bpmn-js itself shows: a palette entry's label, the selected element's type and a group header. */
  async function bpmnJsTexts(page: Page, groupId: string) {
    return {
      palette: await page.getAttribute('#modeler-canvas .djs-palette [data-action="create.start-event"]', 'aria-label'),
      elementType: await page.textContent('#modeler-properties .bio-properties-panel-header-type'),
      group: await page.textContent(`#modeler-properties [data-group-id="${groupId}"] .bio-properties-panel-group-header-title`),
    };
  }

  async function openGroup(page: Page, groupId: string): Promise<void> {
    const group = page.locator(`#modeler-properties [data-group-id="${groupId}"]`);
    if ((await group.locator('.bio-properties-panel-group-entries.open').count()) === 0) {
      await group.locator('.bio-properties-panel-group-header').click();
    }
  }

  it('edits, checks, saves, compares and deploys the complaint model', async () => {
    const page = await openModeler('zh-CN');

    // Rename the register task.
    await select(page, 'register');
    expect(await bpmnJsTexts(page, 'group-general')).toEqual({ palette: '创建开始事件', elementType: '用户任务', group: '常规' });
    await openGroup(page, 'group-general');
    await page.fill('#bio-properties-panel-name', '登记投诉与建议');
    await page.locator('#bio-properties-panel-name').blur();

    // Turn the retry timer from the SLA variable into a fixed three hours.
    await select(page, 'retry-wait');
    await openGroup(page, 'group-timer');
    await page.click('[data-entry-id="timerEventDefinitionValue"] .bio-properties-panel-feel-icon');
    await page.fill('input#bio-properties-panel-timerEventDefinitionValue', 'PT3H');
    await page.locator('input#bio-properties-panel-timerEventDefinitionValue').blur();

    // Remove the callback task's form: the platform check marks it.
    await select(page, 'callback');
    await openGroup(page, 'group-form');
    await page.selectOption('#bio-properties-panel-formType', 'none');
    const formIssue = page.locator('#modeler-issues li.issue-check[data-element-id="callback"]');
    await formIssue.first().waitFor();
    expect(await formIssue.first().textContent()).toContain('用户任务没有表单键');
    await page.waitForSelector('#modeler-canvas [data-element-id="callback"].modeler-issue-marker', { state: 'attached' });

    // Save a draft and compare it with the deployed version.
    await page.fill('#modeler-comment', '改名并调整重拨等待');
    await page.click('#modeler-save-draft');
    await page.waitForSelector('#modeler-status.ok');
    const compareHref = await page.getAttribute('#modeler-compare-link', 'href');
    expect(compareHref).toMatch(/compare\?left=latest&right=draft:\d+/);

    const compare = await page.context().newPage();
    await compare.goto(`${server.baseUrl}${compareHref}`);
    await compare.waitForSelector('body[data-modeler-ready="true"]');
    const renamed = compare.locator('#compare-changes li[data-element-id="register"][data-kind="changed"]');
    expect(await renamed.textContent()).toContain('登记投诉与建议');
    expect(await renamed.textContent()).toContain('登记投诉/建议 → 登记投诉与建议');
    expect(await compare.locator('#compare-changes li[data-element-id="retry-wait"]').count()).toBe(1);
    expect(await compare.locator('#compare-changes li[data-element-id="callback"]').count()).toBe(1);
    await compare.waitForSelector('#compare-right [data-element-id="register"].diff-changed', { state: 'attached' });
    await compare.close();

    // Deploy: a new version, which the next instance runs.
    await page.click('#modeler-deploy');
    // The draft's "saved" is still on the status line when the click lands; only the deploy's answer counts.
    await page.locator('#modeler-status.ok', { hasText: '已部署为版本 2' }).waitFor();
    const instance = await server.zbc.createProcessInstance({ bpmnProcessId: 'complaint', variables: {} });
    expect(instance.version).toBe(2);
    const agent = await server.login('agent1');
    const deployed: string = (await agent.get('/api/modeler/complaint/versions/2')).json().xml;
    expect(deployed).toContain('登记投诉与建议');
    expect(deployed).toMatch(/<bpmn:timeDuration[^>]*>PT3H<\/bpmn:timeDuration>/);
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });

  it('shows an engine rejection on the offending element', async () => {
    const page = await openModeler('en');
    await select(page, 'flow-resolved');
    expect(await bpmnJsTexts(page, 'group-condition')).toEqual({ palette: 'Create start event', elementType: 'Sequence Flow', group: 'Condition' });
    await openGroup(page, 'group-condition');
    await page.click('[data-entry-id="conditionExpression"] .cm-content');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('if resolvedOnSpot');
    await page.locator('#modeler-comment').click();
    await page.click('#modeler-deploy');
    await page.waitForSelector('#modeler-status.error');
    await page.waitForSelector('#modeler-issues li.issue-deploy[data-element-id="flow-resolved"]');
    await page.waitForSelector('#modeler-canvas [data-element-id="flow-resolved"].modeler-issue-marker', { state: 'attached' });
    expect(await page.textContent('#modeler-status')).toContain('flow-resolved');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});

/**
 * Signing in and out in Debian's Chromium: the pages work under the strict CSP (stylesheet applied, no
 * violations), the language switch sticks, and the sign-out button ends the session.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { DEMO_PASSWORD, useTestServer } from '../support/serverHarness';

const CHROMIUM = '/usr/bin/chromium';
const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeWithBrowser('signing in with a browser', () => {
  const server = useTestServer({ seed: false, workers: [] });
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('a supervisor signs in after a typo, switches to English and signs out', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await page.goto(`${server.baseUrl}/mail`);
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.fill('#username', 'supervisor1');
    await page.fill('#password', 'Typo#2026xyz');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error');
    expect(await page.textContent('.error')).toContain('用户名或密码错误');
    expect(await page.inputValue('#username')).toBe('supervisor1');

    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForURL(`${server.baseUrl}/mail`), page.click('button[type=submit]')]);
    expect(await page.textContent('.topbar .name')).toBe('黄志强');
    expect(await page.textContent('.topbar .roles')).toBe('督办');
    // The stylesheet loaded under the CSP: the top bar has its red rule.
    const border = await page.evaluate(`getComputedStyle(document.querySelector('.topbar')).borderBottomColor`);
    expect(border).toBe('rgb(200, 16, 46)');

    await page.click('a[lang=en]');
    await page.waitForSelector('html[lang=en]');
    await page.goto(`${server.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('.topbar .roles')).toBe('Supervisor');

    await Promise.all([page.waitForURL(/\/login\?out=1$/), page.click('form.logout button')]);
    expect(await page.textContent('.notice')).toContain('You are signed out');
    await page.goto(`${server.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(violations).toEqual([]);
  });
});

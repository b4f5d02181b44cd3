/**
 * `npm start` as a user runs it: the platform process with its embedded engine and web server, on a fresh
 * PGlite data directory, reached over HTTP and through zeebe-node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { PROCESSES } from '../../processes/catalogue';
import { connect, waitFor } from '../support/engineHarness';
import { freePort } from '../support/freePort';
import { signIn, type HttpSession } from '../support/serverHarness';


const processXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="status-page-check" isExecutable="true">
    <bpmn:startEvent id="start" /><bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="flow" sourceRef="start" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

let platform: ChildProcess;
let dataDir: string;
let webPort: number;
let gatewayPort: number;
let mailPort: number;
/** The status and mail pages need a signed-in user; the demo users are created at start. */
let admin: HttpSession;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'platform-start-'));
  webPort = await freePort();
  gatewayPort = await freePort();
  mailPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DATA_DIR: dataDir,
    PORT: String(webPort),
    ZEEBE_GATEWAY_HOST: '127.0.0.1',
    ZEEBE_GATEWAY_PORT: String(gatewayPort),
    ZEEBE_MANAGEMENT_PORT: String(await freePort()),
    MAIL_CATCHER_PORT: String(mailPort),
  };
  delete env.DATABASE_URL;
  delete env.ZEEBE_ADDRESS;
  delete env.SMTP_URL;
  platform = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '..', '..', 'server', 'main.ts')], {
    env,
    stdio: 'ignore',
  });
  // Seeding, migrations, 16 deployments and the workers take a minute or more on a busy 2-core machine.
  await waitFor(async () => (await fetch(`http://127.0.0.1:${webPort}/health`)).ok, {
    timeoutMs: 150_000,
    description: 'the platform answering /health',
  });
  admin = await signIn(`http://127.0.0.1:${webPort}`, 'admin1');
}, 180_000);

afterAll(async () => {
  if (platform.exitCode === null) {
    platform.kill('SIGTERM');
    await new Promise((resolve) => platform.once('exit', resolve));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

test('the status page speaks Chinese by default and English on request', async () => {
  const chinese = (await admin.get('/')).text;
  expect(chinese).toContain('<html lang="zh-CN">');
  expect(chinese).toContain('联通客服工作流平台');
  const english = (await admin.get('/?lang=en')).text;
  expect(english).toContain('Unicom customer-service workflow platform');
});

test('the embedded engine takes deployments through zeebe-node and the status page lists them', async () => {
  const zbc = connect(`127.0.0.1:${gatewayPort}`);
  try {
    const deployed = await zbc.deployResource({ name: 'status-page-check.bpmn', process: Buffer.from(processXml) });
    expect(deployed.deployments[0].process.bpmnProcessId).toBe('status-page-check');
    const page = (await admin.get('/?lang=en')).text;
    expect(page).toContain('<td>status-page-check</td><td>1</td>');
    // The catalogue's models were deployed at start.
    for (const { id } of PROCESSES) expect(page).toContain(`<td>${id}</td><td>1</td>`);
  } finally {
    await zbc.close();
  }
});

test('mail sent over SMTP to the built-in catcher is readable, as text, on the mail page', async () => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: mailPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: 'kefu@service.example.cn',
      to: 'customer@example.cn',
      subject: '话费账单 2026-10',
      html: '<p>本月话费 <b>58.00</b> 元</p><script>alert(1)</script>',
      text: '本月话费 58.00 元',
    });
  } finally {
    transport.close();
  }
  const chinese = (await admin.get('/mail?lang=zh-CN')).text;
  expect(chinese).toContain('邮件收件箱');
  expect(chinese).toContain('话费账单 2026-10');
  expect(chinese).toContain('customer@example.cn');
  expect(chinese).toContain('本月话费 58.00 元');
  expect(chinese).not.toContain('<script>alert(1)</script>');
});

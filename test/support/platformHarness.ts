/**
 * The platform around a test engine, as `npm start` wires it: the demo data seeded in the suite's database, mail
 * through nodemailer into the built-in SMTP catcher, and every job worker of workers/ registered through
 * zeebe-node. Scenario tests then only complete the human steps and assert on work orders, outbox and mail.
 */
import type { Knex } from 'knex';
import type { ZBClient } from 'zeebe-node';
import { seedDemoData } from '../../db/seed/demoData';
import { listCaughtMail, type CaughtMail } from '../../server/mail/caughtMail';
import { startMailCatcher, type MailCatcher } from '../../server/mail/mailCatcher';
import { createMailer, type Mailer } from '../../server/mail/mailer';
import { JOB_WORKERS } from '../../workers/index';
import type { JobWorkerDefinition } from '../../workers/jobWorker';
import { startJobWorkers } from '../../workers/startJobWorkers';
import { startTestEngine, type SuiteEngine, type TestEngineOptions } from './engineHarness';

// Starting an engine and seeding 1,000 customers takes seconds on an idle machine, but far longer when CI runs two
// suites per core; a hook that times out leaves jest hanging on the half-started platform.
const SETUP_TIMEOUT_MS = 180_000;

export interface SuitePlatform extends SuiteEngine {
  knex: Knex;
  mailer: Mailer;
  /** Mails the catcher received, newest first. */
  caughtMail(): Promise<CaughtMail[]>;
  /** Moves engine time and the workers' clock forward together. */
  advanceClock(ms: number): Promise<void>;
  /** The workers' clock: engine time as far as this suite moved it. */
  now(): Date;
}

export interface PlatformOptions extends TestEngineOptions {
  /** Which workers to run; all of workers/index.ts by default. */
  workers?: readonly JobWorkerDefinition<any>[];
  /** Seed the demo data set (default true). */
  seed?: boolean;
}

export function usePlatform(options: PlatformOptions = {}): SuitePlatform {
  const suite = {} as SuitePlatform;
  let catcher: MailCatcher | undefined;
  let clockOffsetMs = 0;
  beforeAll(async () => {
    suite.engine = await startTestEngine(options);
    suite.zbc = suite.engine.zbc();
    const { knex } = suite.engine;
    suite.knex = knex;
    if (options.seed ?? true) await seedDemoData(knex);
    catcher = await startMailCatcher({ knex, host: '127.0.0.1', port: 0 });
    suite.mailer = createMailer({ smtpUrl: catcher.url, from: '"联通客服测试" <test@service.example.cn>' });
    suite.caughtMail = () => listCaughtMail(knex);
    suite.now = () => new Date(Date.now() + clockOffsetMs);
    suite.advanceClock = async (ms) => {
      await suite.engine.advanceClock(ms);
      clockOffsetMs += ms;
    };
    startJobWorkers(suite.engine.zbc() as ZBClient, options.workers ?? JOB_WORKERS, { knex, mailer: suite.mailer, now: suite.now }, { pollIntervalMs: 50 });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    // stop() closes the engine before the clients, the job workers' among them (see there), and the clients wait
    // for the handlers in flight, whose mail still needs the catcher.
    await suite.engine?.stop();
    suite.mailer?.close();
    await catcher?.close();
  }, SETUP_TIMEOUT_MS);
  return suite;
}

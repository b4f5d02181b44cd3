/**
 * `npm run workers`: the job workers alone, for running more copies next to `npm start` or against a Camunda 8
 * cluster (ZEEBE_ADDRESS and zeebe-node's other ZEEBE_* variables). They share the platform's database
 * (DATABASE_URL) and send mail through SMTP_URL.
 */
import { openDatabase } from '../db/connect';
import { createMailer } from '../server/mail/mailer';
import { DEFAULT_MAIL_FROM } from '../server/mail/outboundMail';
import { connectZeebe } from '../server/zeebeClient';
import { JOB_WORKERS } from './index';
import { startJobWorkers } from './startJobWorkers';

async function main(): Promise<void> {
  const smtpUrl = process.env.SMTP_URL;
  if (!process.env.ZEEBE_ADDRESS) throw new Error('ZEEBE_ADDRESS must name the engine or cluster the workers serve');
  if (!smtpUrl) throw new Error('SMTP_URL must name the mail server (npm start runs its catcher on smtp://127.0.0.1:2525)');
  const knex = await openDatabase();
  const mailer = createMailer({ smtpUrl, from: process.env.MAIL_FROM ?? DEFAULT_MAIL_FROM });
  const zbc = connectZeebe(undefined);
  const workers = startJobWorkers(zbc, JOB_WORKERS, { knex, mailer, now: () => new Date() });
  console.log(`workers: serving ${workers.types.join(', ')} for ${process.env.ZEEBE_ADDRESS}`);
  const stop = async () => {
    await workers.close();
    await zbc.close();
    mailer.close();
    await knex.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('workers: failed to start', error);
  process.exit(1);
});

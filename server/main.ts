/**
 * `npm start`: the whole platform on one machine — database (PGlite unless DATABASE_URL is set), the embedded
 * engine (unless ZEEBE_ADDRESS points at a Camunda 8 cluster), outbound mail (SMTP_URL, else the built-in mail
 * catcher) and the web server on PORT (3000).
 */
import { describeDatabase, openDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { startPgliteAutovacuum } from '../db/pgliteAutovacuum';
import { describeDemoCases, seedDemoCases } from '../db/seed/demoCases';
import { seedDemoData } from '../db/seed/demoData';
import { seedDemoUsers } from '../db/seed/demoUsers';
import { startEngine, type RunningEngine } from '../engine/index';
import { deployProcessModels } from '../processes/deployProcessModels';
import { JOB_WORKERS } from '../workers/index';
import { startJobWorkers } from '../workers/startJobWorkers';
import { createApp } from './app';
import { listCaughtMail } from './mail/caughtMail';
import { startTaskSourcing } from './tasks/index';
import { startOutboundMail } from './mail/outboundMail';
import { connectZeebe } from './zeebeClient';

async function main(): Promise<void> {
  const knex = await openDatabase();
  await migrateToLatest(knex);
  const autovacuum = startPgliteAutovacuum(knex);
  if (await seedDemoData(knex)) console.log('platform: empty database, demo data seeded');
  const demoUsers = await seedDemoUsers(knex);
  if (demoUsers.length > 0) console.log(`platform: demo users created: ${demoUsers.join(', ')}`);
  const database = describeDatabase(knex);
  const outboundMail = await startOutboundMail({ knex });
  const external = process.env.ZEEBE_ADDRESS;
  let engine: RunningEngine | undefined;
  if (!external) engine = await startEngine({ knex });
  const engineAddress = external ?? engine!.address;
  const zbc = connectZeebe(engine);
  const deployed = await deployProcessModels(zbc);
  console.log(`platform: process models deployed: ${deployed.map((p) => `${p.bpmnProcessId} v${p.version}`).join(', ')}`);
  const jobWorkers = startJobWorkers(zbc, JOB_WORKERS, { knex, mailer: outboundMail.mailer, now: () => new Date() });
  console.log(`platform: demo cases: ${describeDemoCases(await seedDemoCases({ knex, zbc, now: new Date(), externalEngine: external !== undefined }))}`);
  const taskSourcing = await startTaskSourcing({ knex, zbc, mailer: outboundMail.mailer, mode: engine ? 'records' : 'probe' });

  const app = createApp({
    knex,
    zbc,
    mailer: outboundMail.mailer,
    status: {
      engineAddress,
      embeddedEngine: engine !== undefined,
      database,
      mailDestination: outboundMail.destination,
      processes: () => engine?.engine.processDefinitions() ?? [],
      caughtMail: async () => (outboundMail.catcher ? listCaughtMail(knex) : []),
    },
  });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    console.log(
      `platform: http://localhost:${port} — engine ${engineAddress}${external ? ' (external)' : ''}, database ${database}, ` +
        `mail ${outboundMail.destination}`,
    );
  });

  const stop = async (signal: NodeJS.Signals) => {
    console.log(`platform: ${signal}, shutting down`);
    server.close();
    await jobWorkers.close();
    await taskSourcing.close();
    await zbc.close();
    await engine?.close();
    await outboundMail.close();
    await autovacuum.close();
    await knex.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('platform: failed to start', error);
  process.exit(1);
});

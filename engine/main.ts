/** `npm run engine`: the engine on its own, configured through the environment (see engine/index.ts). */
import { describeDatabase, openDatabase } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { startPgliteAutovacuum } from '../db/pgliteAutovacuum';
import { startEngine } from './index';

async function main(): Promise<void> {
  const knex = await openDatabase();
  await migrateToLatest(knex);
  const autovacuum = startPgliteAutovacuum(knex);
  const running = await startEngine({ knex });
  const clock = running.clock.controllable ? ', controllable clock' : '';
  console.log(
    `engine: Zeebe gateway API on ${running.address} (plaintext), management on :${running.managementPort}, ` +
      `database ${describeDatabase(knex)}${clock}`,
  );

  const stop = async (signal: NodeJS.Signals) => {
    console.log(`engine: ${signal}, shutting down`);
    try {
      await running.close();
      await autovacuum.close();
      await knex.destroy();
      // Everything we opened is closed; exiting here keeps a stray library timer from holding the process.
      process.exit(0);
    } catch (error) {
      console.error('engine: shutdown failed', error);
      process.exit(1);
    }
  };
  // `once`: a second signal gets Node's default handling, which ends a shutdown that hangs.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('engine: failed to start', error);
  process.exit(1);
});

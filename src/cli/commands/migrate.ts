import type { Command } from 'commander';
import { ensureIndexes } from '../../store/indexes';
import { println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';

export function registerMigrate(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('Create the MongoDB indexes the store relies on (idempotent; also done at every start).')
    .action(() =>
      withApp(io, async (app) => {
        const count = await ensureIndexes(app.store);
        println(io.stdout, `Indexes in place: ${count} across ${app.store.db.databaseName}.`);
      }),
    );
}

import type { Command } from 'commander';
import { seedDemo } from '../../demo/seed';
import { UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

export function registerSeed(program: Command, io: CliIO): void {
  program
    .command('seed')
    .description('Load a data set into the store.')
    .option('--demo', 'the demo platform: a master, 2 resellers, ~30 customers in 7 time zones, plans, inventory, cards')
    .action((opts: { demo?: boolean }) => {
      if (!opts.demo) throw new UsageError('seed: say which data set (--demo)');
      return withApp(io, async (app) => {
        const counts = await seedDemo(app.store, app.deps.now());
        println(io.stdout, renderTable(['seeded', 'count'], Object.entries(counts), ['left', 'right']));
      });
    });
}

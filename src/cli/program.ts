import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config';
import { ValidationError } from '../validation/format-issues';
import { registerAccounts } from './commands/accounts';
import { registerBalance } from './commands/balance';
import { registerCdrs } from './commands/cdrs';
import { registerCredit } from './commands/credit';
import { registerDashboard } from './commands/dashboard';
import { registerEnqueue } from './commands/enqueue';
import { registerExport } from './commands/export';
import { registerInvoices } from './commands/invoices';
import { registerMigrate } from './commands/migrate';
import { registerAlerts, registerRecharge } from './commands/recharge';
import { registerPlans } from './commands/plans';
import { registerReport } from './commands/report';
import { registerSeed } from './commands/seed';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/status';
import { registerUnits } from './commands/units';
import { AlreadyReported, EXIT, UsageError, println } from './io';
import type { CliIO } from './io';

function buildProgram(io: CliIO): Command {
  const program = new Command('tollkeeper')
    .description('Billing back office for a hosted PBX platform: renewals, reconciliation, auto-recharge and reseller reports.')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const register of [registerStart, registerMigrate, registerEnqueue, registerReport, registerStatus, registerSeed, registerPlans, registerCredit, registerBalance, registerCdrs, registerExport, registerUnits, registerInvoices, registerDashboard, registerRecharge, registerAlerts, registerAccounts]) register(program, io);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

/** Runs one CLI invocation and returns its exit code: 0 success, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof AlreadyReported) return EXIT.failure;
    if (error instanceof UsageError) {
      println(io.stderr, `error: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError || error instanceof ValidationError) {
      println(io.stderr, error.message);
      return EXIT.failure;
    }
    println(io.stderr, `error: ${(error as Error).message ?? String(error)}`);
    return EXIT.failure;
  }
}

import type { Command } from 'commander';
import { localMonth, parseMonth } from '../../domain/calendar';
import { formatMoney, formatRate, formatUnits } from '../../domain/money';
import { parseInvoiceId } from '../../domain/renewal/invoice';
import { previewRenewal } from '../../renewal/issue';
import { attemptPayment } from '../../renewal/payment';
import { getAccount } from '../../store/accounts';
import type { InvoiceDoc } from '../../store/documents';
import { getInvoice, invoicesOf } from '../../store/invoices';
import { writeCsvFile } from '../../usage/csv-file';
import { AlreadyReported, UsageError, println } from '../io';
import type { CliIO } from '../io';
import { withApp } from '../session';
import { renderTable } from '../table';

function month(text: string): string {
  try {
    parseMonth(text);
    return text;
  } catch {
    throw new UsageError(`--month: expected YYYY-MM (got ${JSON.stringify(text)})`);
  }
}

function invoiceIdArg(text: string): string {
  try {
    parseInvoiceId(text);
    return text;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function paidHow(invoice: InvoiceDoc): string {
  const paid = invoice.attempts.find((a) => a.outcome === 'paid');
  if (!paid) return '';
  return [paid.byCard > 0 ? `card ${formatMoney(paid.byCard)}` : '', paid.fromCredit > 0 ? `credit ${formatMoney(paid.fromCredit)}` : ''].filter(Boolean).join(' + ') || 'nothing due';
}

function renderInvoice(invoice: InvoiceDoc): string {
  const head = [
    `invoice ${invoice._id}  ${invoice.status}${invoice.billedBy ? ` (billed by ${invoice.billedBy})` : ''}`,
    `period ${invoice.period}, due ${invoice.dueDate}, issued ${invoice.issuedAt.toISOString()}, mode ${invoice.paymentMode}`,
  ];
  const lines = renderTable(
    ['item', 'quantity', 'billable', 'rate', 'total', 'explanation'],
    invoice.lines.map((l) => [l.name, l.quantity, l.billable, formatRate(l.rate), formatMoney(l.total), l.explanation]),
    ['left', 'right', 'right', 'right', 'right', 'left'],
  );
  const attempts = invoice.attempts.map(
    (a) => `attempt ${a.n} ${a.at.toISOString()} (${a.trigger}): ${a.outcome}${a.reason ? `: ${a.reason}` : ''}${a.outcome === 'paid' ? ` (card ${formatMoney(a.byCard)}, credit ${formatMoney(a.fromCredit)})` : ''}`,
  );
  const next = invoice.nextAttemptAt ? [`next attempt ${invoice.nextAttemptAt.toISOString()}`] : [];
  return [...head, lines, `total ${formatMoney(invoice.total)}`, ...attempts, ...next].join('\n');
}

export function registerInvoices(program: Command, io: CliIO): void {
  const invoices = program.command('invoices').description('Monthly renewal invoices: list, show, preview, export, pay.');

  invoices
    .command('list')
    .description("An account's invoices, newest first.")
    .argument('<account>')
    .action((accountId: string) =>
      withApp(io, async (app) => {
        await getAccount(app.store, accountId);
        const found = await invoicesOf(app.store, accountId);
        const rows = found.map((i) => [i._id, i.period, i.status, formatMoney(i.total), i.dueDate, paidHow(i), i.nextAttemptAt?.toISOString() ?? '']);
        println(io.stdout, found.length === 0 ? '(no invoices)' : renderTable(['invoice', 'period', 'status', 'total', 'due', 'paid by', 'next attempt'], rows));
      }),
    );

  invoices
    .command('show')
    .description('One invoice: its lines with their explanations, the total, the due date and every payment attempt.')
    .argument('<invoice>', 'invoice id, <account>/<YYYY-MM>')
    .action((id: string) =>
      withApp(io, async (app) => {
        const invoice = await getInvoice(app.store, invoiceIdArg(id));
        if (!invoice) throw new Error(`no invoice ${JSON.stringify(id)}`);
        println(io.stdout, renderInvoice(invoice));
      }),
    );

  invoices
    .command('preview')
    .description('What the next renewal would invoice (nothing is written or charged).')
    .argument('<account>')
    .option('--month <YYYY-MM>', "the month to preview (default: the account's next month to renew)")
    .action((accountId: string, opts: { month?: string }) =>
      withApp(io, async (app) => {
        const account = await getAccount(app.store, accountId);
        const target = opts.month === undefined ? (account.renewal?.nextMonth ?? localMonth(app.deps.now(), account.timezone)) : month(opts.month);
        const draft = await previewRenewal(app.store, accountId, target, app.deps.now());
        if (!draft) {
          println(io.stdout, `${accountId} ${target}: nothing to renew (not reconciled yet, no plan, or the month was billed by reconciliation)`);
          return;
        }
        println(io.stdout, renderInvoice(draft).replace(/^invoice /, 'preview of invoice '));
      }),
    );

  invoices
    .command('export')
    .description("An account's invoices as CSV, one row per line (the Service Plan download).")
    .argument('<account>')
    .requiredOption('--csv <file>', 'where to write the CSV')
    .action((accountId: string, opts: { csv: string }) =>
      withApp(io, async (app) => {
        await getAccount(app.store, accountId);
        const cursor = app.store.invoices.find({ accountId }).sort({ period: 1 });
        async function* rows(): AsyncIterable<string[]> {
          for await (const i of cursor) {
            for (const l of i.lines) yield [i._id, i.period, i.status, i.dueDate, l.category, l.item, l.name, String(l.quantity), String(l.billable), formatRate(l.rate), formatUnits(l.total), formatUnits(i.total)];
          }
        }
        const count = await writeCsvFile(opts.csv, ['invoice', 'period', 'status', 'due', 'category', 'item', 'name', 'quantity', 'billable', 'rate', 'line_total', 'invoice_total'], rows());
        println(io.stdout, `${count} invoice line(s) written to ${opts.csv}`);
      }),
    );

  invoices
    .command('pay')
    .description('Pays an open invoice now, per its payment mode; a self-managed invoice is paid from the account credit.')
    .argument('<invoice>', 'invoice id, <account>/<YYYY-MM>')
    .action((id: string) =>
      withApp(io, async (app) => {
        const invoice = await getInvoice(app.store, invoiceIdArg(id));
        if (!invoice) throw new Error(`no invoice ${JSON.stringify(id)}`);
        if (invoice.status !== 'open') throw new UsageError(`invoice ${id} is ${invoice.status}, not open`);
        const report = await attemptPayment(app.deps, id, invoice.attempts.length + 1, 'manual');
        const attempt = report.attempt;
        if (attempt === null) throw new Error(`invoice ${id} changed while paying it; run the command again`);
        println(io.stdout, `invoice ${id}: ${attempt.outcome}${attempt.reason ? `: ${attempt.reason}` : ''}`);
        if (attempt.outcome !== 'paid') throw new AlreadyReported();
      }),
    );
}

/** The report's mail: a short note listing what is attached. */
import { mailTemplates } from '../mail/templates';
import type { MailAttachment, OutgoingMail } from '../mail/mailer';
import type { Usage } from '../domain/usage';

export interface ReportFile {
  filename: string;
  path: string;
  bytes: number;
  /** What the file is, for the reader. */
  what: string;
}

export interface ReportMailInput {
  recipients: string[];
  resellerName: string;
  /** The reseller's: the period's dates are its local dates. */
  timezone: string;
  period: { from: string; to: string };
  accountCount: number;
  usage: Usage;
  files: readonly ReportFile[];
  /** Set when the files travel inside one zip archive. */
  archive: ReportFile | null;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function reportMail(input: ReportMailInput): OutgoingMail {
  const subject = `Usage report ${input.period.from} to ${input.period.to}: ${input.accountCount} account${input.accountCount === 1 ? '' : 's'}`;
  const attachments: MailAttachment[] = (input.archive ? [input.archive] : input.files).map((f) => ({ filename: f.filename, path: f.path }));
  const rendered = mailTemplates().render('reseller-report', {
    subject,
    resellerName: input.resellerName,
    timezone: input.timezone,
    from: input.period.from,
    to: input.period.to,
    accountCount: input.accountCount,
    plural: input.accountCount !== 1,
    calls: input.usage.calls.toLocaleString('en-US'),
    pluralCalls: input.usage.calls !== 1,
    customerCost: input.usage.customerCost,
    resellerCost: input.usage.resellerCost,
    zipped: input.archive !== null,
    archive: input.archive?.filename ?? null,
    files: input.files.map((f) => ({ name: f.filename, what: f.what, size: size(f.bytes) })),
  });
  return { to: input.recipients, subject, ...rendered, attachments };
}

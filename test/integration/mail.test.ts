import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Attachment } from 'mailparser';
import { createMailer } from '../../src/mail/mailer';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer';
import type { App } from '../../src/runtime/app';
import { MailInFlightError, mailLogEntry, sendOnce } from '../../src/store/mail-log';
import { startTestSmtp } from '../support/smtp';
import type { TestSmtp } from '../support/smtp';
import { closeTestApp, configOf, isolatedEnv, openTestApp } from '../support/test-env';

const env = isolatedEnv('mail');
let clock = new Date('2026-03-15T12:00:00Z');
let app: App;
let smtp: TestSmtp;
let scratch: string;
let attachmentPath: string;

beforeAll(async () => {
  smtp = await startTestSmtp();
  app = await openTestApp({ ...env, SMTP_URL: smtp.url }, () => clock);
  scratch = mkdtempSync(join(tmpdir(), 'tk-mail-'));
  attachmentPath = join(scratch, 'summary.csv');
  writeFileSync(attachmentPath, 'account,total\nacme,25.00\n');
});

afterAll(async () => {
  await closeTestApp(app);
  await smtp.close();
  rmSync(scratch, { recursive: true, force: true });
});

function message(subject: string, extra: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    to: ['billing@acme.example', 'ops@acme.example'],
    subject,
    html: '<p>Your balance is <b>$4.20</b></p>',
    text: 'Your balance is $4.20',
    ...extra,
  };
}

function names(attachments: Attachment[]): string[] {
  return attachments.map((a) => `${a.filename ?? '?'} ${a.contentType}: ${a.content.toString('utf8')}`);
}

describe('the outbox transport (no SMTP_URL)', () => {
  it('writes each message as a .eml file a mail client reads: recipients, subject, html, text and attachment', async () => {
    const outbox = join(scratch, 'outbox', 'nested');
    const mailer = createMailer(configOf({ ...env, MAIL_OUTBOX_DIR: outbox }));
    try {
      const sent = await mailer.send(message('Low balance', { attachments: [{ filename: 'summary.csv', path: attachmentPath, contentType: 'text/csv' }] }));
      const files = readdirSync(outbox);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const parsed = await simpleParser(readFileSync(join(outbox, files[0]!)));
      expect(parsed.messageId).toBe(sent.messageId);
      expect(parsed.subject).toBe('Low balance');
      expect(parsed.from?.value).toEqual([{ name: 'Tollkeeper Billing', address: 'billing@tollkeeper.local' }]);
      expect(parsed.to).toMatchObject({ text: 'billing@acme.example, ops@acme.example' });
      expect(parsed.html).toContain('<b>$4.20</b>');
      expect(parsed.text?.trim()).toBe('Your balance is $4.20');
      expect(names(parsed.attachments)).toEqual(['summary.csv text/csv: account,total\nacme,25.00\n']);
    } finally {
      await mailer.close();
    }
  });

  it('refuses a message without recipients or with a malformed address, naming the field and value', async () => {
    const mailer = createMailer(configOf({ ...env, MAIL_OUTBOX_DIR: join(scratch, 'refused') }));
    await expect(mailer.send(message('x', { to: [] }))).rejects.toThrow('to: at least one recipient is needed');
    await expect(mailer.send(message('x', { to: ['ops@acme.example', 'not an address'] }))).rejects.toThrow('to: not an e-mail address (got "not an address")');
    await mailer.close();
  });
});

describe('SMTP (SMTP_URL set) to a real SMTP server', () => {
  it('delivers html, text and an attachment streamed from disk', async () => {
    const before = smtp.messages.length;
    await app.deps.mailer.send(message('Invoice 2026-03', { attachments: [{ filename: 'summary.csv', path: attachmentPath }] }));
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail?.subject).toBe('Invoice 2026-03');
    expect(mail?.html).toContain('<b>$4.20</b>');
    expect(mail?.text?.trim()).toBe('Your balance is $4.20');
    expect(names(mail?.attachments ?? [])).toEqual(['summary.csv text/csv: account,total\nacme,25.00\n']);
  });
});

describe('sendOnce', () => {
  /** Counts sends and can be told to fail the next one, or to hang until released (a crash mid-send). */
  function countingMailer(): Mailer & { sent: string[]; failNext: boolean } {
    const mailer = {
      sent: [] as string[],
      failNext: false,
      send(m: OutgoingMail) {
        if (mailer.failNext) {
          mailer.failNext = false;
          return Promise.reject(new Error('421 service not available'));
        }
        mailer.sent.push(m.subject);
        return Promise.resolve({ messageId: `<${mailer.sent.length}@test>` });
      },
    };
    return mailer;
  }

  it('sends one mail however often, and however concurrently, the same key is sent', async () => {
    const before = smtp.messages.length;
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => sendOnce(app.deps, 'test:acme:once', message('Sent once'))));
    const again = await sendOnce(app.deps, 'test:acme:once', message('Sent once'));
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).constructor.name));
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(1);
    expect(statuses.every((s) => s === 'sent' || s === 'already-sent' || s === 'MailInFlightError')).toBe(true);
    expect(again.status).toBe('already-sent');
    await smtp.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.slice(before).map((m) => m.subject)).toEqual(['Sent once']);
    expect(await mailLogEntry(app.store, 'test:acme:once')).toMatchObject({ state: 'sent', attempts: 1, to: message('x').to });
  });

  it('sends again after a send that failed, and only then', async () => {
    const mailer = countingMailer();
    const deps = { ...app.deps, mailer };
    mailer.failNext = true;
    await expect(sendOnce(deps, 'test:acme:failed', message('Retry me'))).rejects.toThrow('421');
    expect(await mailLogEntry(app.store, 'test:acme:failed')).toMatchObject({ state: 'failed', error: '421 service not available' });
    expect((await sendOnce(deps, 'test:acme:failed', message('Retry me'))).status).toBe('sent');
    expect((await sendOnce(deps, 'test:acme:failed', message('Retry me'))).status).toBe('already-sent');
    expect(mailer.sent).toEqual(['Retry me']);
  });

  it('after a crash between send and mark: waits while the claim is fresh, then sends again (at-least-once)', async () => {
    const mailer = countingMailer();
    const deps = { ...app.deps, mailer };
    // What a process that died after claiming (and perhaps sending) leaves behind.
    await app.store.mailLog.insertOne({ _id: 'test:acme:crashed', state: 'sending', to: ['a@b.example'], subject: 'x', attempts: 1, claimedAt: clock });
    clock = new Date(clock.getTime() + 30_000);
    await expect(sendOnce(deps, 'test:acme:crashed', message('Crashed'))).rejects.toThrow(MailInFlightError);
    clock = new Date(clock.getTime() + 30_000);
    expect((await sendOnce(deps, 'test:acme:crashed', message('Crashed'))).status).toBe('sent');
    expect((await sendOnce(deps, 'test:acme:crashed', message('Crashed'))).status).toBe('already-sent');
    expect(mailer.sent).toEqual(['Crashed']);
    expect(await mailLogEntry(app.store, 'test:acme:crashed')).toMatchObject({ state: 'sent', attempts: 2 });
  });
});

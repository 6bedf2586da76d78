/**
 * Outgoing mail. With `SMTP_URL` set, messages go to that server (pooled connections, so a sweep that mails many
 * accounts does not open one connection per message); without it they are written as `.eml` files into
 * `MAIL_OUTBOX_DIR`, which any mail client opens: the local default, so a demo or a developer sees every mail
 * without a mail server. Attachments are given by path and streamed from disk by nodemailer, never read whole.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Config } from '../config/config';
import { metrics } from '../ops/metrics';

export interface MailAttachment {
  filename: string;
  /** Read when the message is sent, streamed. */
  path: string;
  contentType?: string;
}

export interface OutgoingMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  send(message: OutgoingMail): Promise<{ messageId: string }>;
}

export interface ClosableMailer extends Mailer {
  /** Where mail goes, for logs and the operator: `smtp://host:port` (no credentials) or the outbox folder. */
  readonly destination: string;
  close(): Promise<void>;
}

export class MailError extends Error {}

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/;

/** Refuses a message no server should be handed: the problem is named, with the value. */
export function checkMail(message: OutgoingMail): OutgoingMail {
  if (message.to.length === 0) throw new MailError(`mail "${message.subject}": to: at least one recipient is needed (got none)`);
  const bad = message.to.find((address) => !ADDRESS.test(address));
  if (bad !== undefined) throw new MailError(`mail "${message.subject}": to: not an e-mail address (got ${JSON.stringify(bad)})`);
  if (message.subject.trim() === '') throw new MailError('mail: subject: some text is needed (got "")');
  return message;
}

function envelope(from: string, message: OutgoingMail): SendMailOptions {
  return {
    from,
    to: message.to,
    subject: message.subject,
    html: message.html,
    text: message.text,
    attachments: (message.attachments ?? []).map((a) => ({ filename: a.filename, path: a.path, ...(a.contentType ? { contentType: a.contentType } : {}) })),
  };
}

class SmtpMailer implements ClosableMailer {
  readonly destination: string;
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    const parsed = new URL(url);
    this.destination = `${parsed.protocol}//${parsed.host}`;
    this.transport = nodemailer.createTransport({ url, pool: true });
  }

  async send(message: OutgoingMail): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail(envelope(this.from, checkMail(message)))) as { messageId: string };
    metrics.mailSent('smtp');
    return { messageId: info.messageId };
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

/** Builds each message with nodemailer's stream transport (the same MIME as SMTP would carry) and files it. */
class OutboxMailer implements ClosableMailer {
  private readonly transport: Transporter;

  constructor(
    readonly destination: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: OutgoingMail): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail(envelope(this.from, checkMail(message)))) as { messageId: string; message: Buffer };
    await mkdir(this.destination, { recursive: true });
    // Time first so the folder lists in sending order; written under a temporary name and renamed, so a person
    // or a test watching the folder never opens half a message.
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`;
    const partial = join(this.destination, `.${name}.part`);
    await writeFile(partial, info.message);
    await rename(partial, join(this.destination, name));
    metrics.mailSent('outbox');
    return { messageId: info.messageId };
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailOutboxDir'>): ClosableMailer {
  return config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : new OutboxMailer(config.mailOutboxDir, config.mailFrom);
}

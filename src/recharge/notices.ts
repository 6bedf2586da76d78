/**
 * The mail auto-recharge and alerts send: who gets it, what it says, and the key that makes it go out once.
 * Keys name the cause: a day's recharge (`recharge-paid:<account>:<date>`, `recharge-declined:...`), a month's cap
 * (`recharge-cap:<account>:<YYYY-MM>`), a numbered low-balance crossing (`low-balance:<account>:<n>`).
 */
import type { LocalDate, LocalMonth } from '../domain/calendar';
import { formatMoney } from '../domain/money';
import type { Units } from '../domain/money';
import type { OutgoingMail } from '../mail/mailer';
import { mailTemplates } from '../mail/templates';
import type { AccountDoc } from '../store/documents';

export const noticeKeys = {
  paid: (account: string, day: LocalDate) => `recharge-paid:${account}:${day}`,
  declined: (account: string, day: LocalDate) => `recharge-declined:${account}:${day}`,
  capReached: (account: string, month: LocalMonth) => `recharge-cap:${account}:${month}`,
  lowBalance: (account: string, crossing: number) => `low-balance:${account}:${crossing}`,
};

type Contacts = Pick<AccountDoc, 'billing'>;

/**
 * The billing contact: the account's own, else that of the account paying for it (a reseller answers for the
 * customers it has not given a contact).
 */
export function billingContacts(account: Contacts, payer: Contacts | null): string[] {
  const contact = account.billing.contactEmail ?? payer?.billing.contactEmail ?? null;
  return contact ? [contact] : [];
}

/** Alert recipients: the addresses set with the alerts, else the billing contact. */
export function alertRecipients(account: Contacts, payer: Contacts | null): string[] {
  const emails = account.billing.alerts?.enabled ? account.billing.alerts.emails : [];
  return emails.length > 0 ? emails : billingContacts(account, payer);
}

/** Recharge outcomes go to the billing contact and, when alerts are on, to the alert recipients too. */
export function rechargeRecipients(account: Contacts, payer: Contacts | null): string[] {
  const alerts = account.billing.alerts?.enabled ? alertRecipients(account, payer) : [];
  return [...new Set([...billingContacts(account, payer), ...alerts])];
}

interface Base {
  accountName: string;
  accountId: string;
  balance: Units;
  threshold: Units;
}

export type Notice =
  | ({ kind: 'recharge-paid'; amount: Units; day: LocalDate; nextDay: LocalDate; cardCharged: boolean; reference: string | null } & Base)
  | ({ kind: 'recharge-declined'; amount: Units; day: LocalDate; nextDay: LocalDate; reason: string } & Base)
  | ({ kind: 'recharge-cap-reached'; amount: Units; cap: Units; spent: Units } & Base)
  | ({ kind: 'low-balance'; checkedAt: Date; zone: string } & Base);

function subjectOf(notice: Notice): string {
  switch (notice.kind) {
    case 'recharge-paid':
      return `${notice.accountName}: auto-recharge of ${formatMoney(notice.amount)}`;
    case 'recharge-declined':
      return `${notice.accountName}: auto-recharge declined, balance ${formatMoney(notice.balance)}`;
    case 'recharge-cap-reached':
      return `${notice.accountName}: auto-recharge paused, monthly cap of ${formatMoney(notice.cap)} reached`;
    case 'low-balance':
      return `${notice.accountName}: low balance, ${formatMoney(notice.balance)}`;
  }
}

export function noticeMail(notice: Notice, to: string[]): OutgoingMail {
  const subject = subjectOf(notice);
  return { to, subject, ...mailTemplates().render(notice.kind, { ...notice, subject }) };
}

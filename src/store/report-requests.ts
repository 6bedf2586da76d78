import type { ReportAccountDoc, ReportRequestDoc } from './documents';
import type { Store } from './store';

export type NewReportRequest = Pick<ReportRequestDoc, '_id' | 'resellerId' | 'accountIds' | 'all' | 'from' | 'to' | 'emails'>;

/** The request as first stored: a second call with the same id returns the first one's selection, not its own. */
export async function openReportRequest(store: Store, request: NewReportRequest, now: Date): Promise<ReportRequestDoc> {
  const stored = await store.reportRequests.findOneAndUpdate(
    { _id: request._id },
    { $setOnInsert: { ...request, status: 'building', requestedAt: now, updatedAt: now } },
    { upsert: true, returnDocument: 'after' },
  );
  if (!stored) throw new Error(`report request ${request._id} was not written`);
  return stored;
}

export function findReportRequest(store: Store, id: string): Promise<ReportRequestDoc | null> {
  return store.reportRequests.findOne({ _id: id });
}

export async function markReportSent(store: Store, id: string, sent: { attachments: ReportRequestDoc['attachments']; messageId: string }, now: Date): Promise<void> {
  await store.reportRequests.updateOne({ _id: id }, { $set: { status: 'sent', attachments: sent.attachments, messageId: sent.messageId, sentAt: now, updatedAt: now, error: null } });
}

export async function recordReportFailure(store: Store, id: string, error: string, now: Date): Promise<void> {
  await store.reportRequests.updateOne({ _id: id, status: 'building' }, { $set: { error, updatedAt: now } });
}

export function reportAccountId(requestId: string, accountId: string): string {
  return `${requestId}/${accountId}`;
}

export async function recordReportAccount(store: Store, doc: Omit<ReportAccountDoc, '_id'>): Promise<void> {
  const _id = reportAccountId(doc.requestId, doc.accountId);
  await store.reportAccounts.replaceOne({ _id }, doc, { upsert: true });
}

export async function reportAccounts(store: Store, requestId: string): Promise<Map<string, ReportAccountDoc>> {
  const docs = await store.reportAccounts.find({ requestId }).toArray();
  return new Map(docs.map((d) => [d.accountId, d] as const));
}

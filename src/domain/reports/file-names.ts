/** The names of a report's files, which are also the attachments' names. Ids and local dates are file-name safe. */
import type { ReportPeriod } from './period';

type Named = { readonly resellerId: string } & Pick<ReportPeriod, 'from' | 'to'>;

export function accountWorkbookName(accountId: string, period: Pick<ReportPeriod, 'from' | 'to'>): string {
  return `${accountId}_${period.from}_${period.to}.xlsx`;
}

export function summaryNames(r: Named): { csv: string; workbook: string } {
  const base = `summary_${r.resellerId}_${r.from}_${r.to}`;
  return { csv: `${base}.csv`, workbook: `${base}.xlsx` };
}

export function archiveName(r: Named): string {
  return `report_${r.resellerId}_${r.from}_${r.to}.zip`;
}

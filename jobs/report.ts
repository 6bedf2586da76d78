import { ReportRequestError } from '../src/domain/reports/period';
import { runReport } from '../src/reports/run-report';
import { ValidationError } from '../src/validation/format-issues';
import type { JobHandler } from './job';

/** A refused request (another reseller's account, a bad period) is final: retrying cannot make it right. */
export const report: JobHandler<'report'> = async (payload, { deps, progress }) => {
  try {
    const outcome = await runReport(deps, payload, { progress });
    return {
      counts: {
        accounts: outcome.accounts,
        calls: outcome.calls,
        workbooksBuilt: outcome.workbooksBuilt,
        workbooksKept: outcome.workbooksKept,
        attachments: outcome.attachments.length,
        alreadySent: outcome.status === 'already-sent' ? 1 : 0,
      },
    };
  } catch (error) {
    if (error instanceof ReportRequestError) throw new ValidationError(error.message, [error.message]);
    throw error;
  }
};

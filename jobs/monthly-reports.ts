import { enqueueMonthlyReports } from '../src/reports/monthly-reports';
import type { JobHandler } from './job';

export const monthlyReports: JobHandler<'monthly-reports'> = async (_payload, { deps }) => {
  const counts = await enqueueMonthlyReports(deps);
  return { counts: { ...counts } };
};

import { scanDirty } from '../src/reconciliation/scan';
import type { JobHandler } from './job';

/** Fans out the settled dirty accounts; running it twice, or while its jobs still wait, adds no job twice. */
export const reconcileScan: JobHandler<'reconcile-scan'> = async (payload, { deps }) => {
  const counts = await scanDirty(deps, { settleSeconds: payload.settleSeconds ?? deps.config.reconcileSettleSeconds, pageSize: payload.pageSize });
  return { counts: { ...counts } };
};

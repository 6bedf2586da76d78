import { cdrImport } from './cdr-import.bench';
import type { BenchSuite } from './harness';
import { planEvaluation } from './plan-evaluation.bench';
import { reconcile } from './reconcile.bench';
import { rechargeSweep } from './recharge-sweep.bench';
import { renewal } from './renewal.bench';
import { reportWorkbook } from './report-workbook.bench';

/** Every suite `npm run bench` knows; append yours. Suites build their inputs in `prepare`, so listing one costs nothing. */
export const suites: readonly BenchSuite[] = [planEvaluation, cdrImport, reportWorkbook, rechargeSweep, renewal, reconcile];

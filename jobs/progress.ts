/**
 * Turns "done of total" into the whole percentages a job reports (ctx.progress), writing only when the percentage
 * changes: a sweep over 50,000 accounts then costs Redis at most 101 writes, not 50,000.
 */
export function percentReporter(report: (percent: number) => Promise<void>): (done: number, total: number) => Promise<void> {
  let last = -1;
  return async (done, total) => {
    const percent = total <= 0 ? 100 : Math.floor((Math.min(done, total) / total) * 100);
    if (percent === last) return;
    last = percent;
    await report(percent);
  };
}

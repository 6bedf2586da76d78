import { renderSuite, runSuite } from './harness';
import { suites } from './suites';

/** `node --expose-gc dist/bench/run.js [suite ...]`: runs the named suites, or all of them. */
async function main(names: readonly string[]): Promise<number> {
  const unknown = names.filter((name) => !suites.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((suite) => suite.name).join(', ')}`);
    return 2;
  }
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') console.error('note: run node with --expose-gc to collect garbage between cases');
  const selected = names.length === 0 ? suites : suites.filter((suite) => names.includes(suite.name));
  for (const suite of selected) {
    const result = await runSuite(suite, (line) => console.error(line));
    console.log(`${renderSuite(result)}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

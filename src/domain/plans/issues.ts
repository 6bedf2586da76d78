/** A problem found in a plan or scenario, addressed by a path a person can follow into the JSON. */
export interface Issue {
  readonly path: string;
  readonly message: string;
  readonly value?: unknown;
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `plan.devices._all.rates["100"]`, `plans[0].plan`: identifiers dotted, everything else bracketed as JSON. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

export function issueToText(issue: Issue): string {
  const where = issue.path === '' ? '(document)' : issue.path;
  return issue.value === undefined ? `${where}: ${issue.message}` : `${where}: ${issue.message} (got ${JSON.stringify(issue.value)})`;
}

/** Thrown where a caller handed the engine something it cannot price; carries every issue found. */
export class PlanError extends Error {
  constructor(
    readonly issues: readonly Issue[],
    summary = 'invalid service plan',
  ) {
    super(`${summary}: ${issues.map(issueToText).join('; ')}`);
  }
}

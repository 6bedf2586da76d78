import type { z } from 'zod';

/** Thrown for input that fails its schema at an edge (config, payloads, files); the message names field and value. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(message);
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${i === 0 ? '' : '.'}${String(key)}` : `[${JSON.stringify(String(key))}]`))
    .join('');
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per problem: `field.path: message (got VALUE)`, with `root` before the path when given. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, root = ''): string[] {
  return issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    return keys
      .map((extra) => {
        const path = extra === undefined ? issue.path : [...issue.path, extra];
        const where = [root, pathText(path)].filter(Boolean).join(root && path.length > 0 && typeof path[0] !== 'number' ? '.' : '');
        if (extra !== undefined) return `${where || '(top)'}: unknown field (got ${show(valueAt(input, path))})`;
        return `${where || '(top)'}: ${issue.message} (got ${show(valueAt(input, path))})`;
      })
      .join('\n');
  });
}

/** Parses or throws a ValidationError whose message begins with `what` and lists every problem. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string, root = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues, input, root);
  throw new ValidationError(`${what}: ${problems.join('; ')}`, problems);
}

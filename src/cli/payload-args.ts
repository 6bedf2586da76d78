import { UsageError } from './io';

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** JSON where the text is JSON (numbers, booleans, arrays), else the text itself: the schema decides what is right. */
function readValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Turns `--payload '{...}'` and `--field value` / `--flag` tokens into a payload object;
 * `--older-than-days 30` sets `olderThanDays`. Repeated or dotted fields are not supported: use --payload.
 */
export function payloadFromArgs(tokens: readonly string[], payloadJson: string | undefined): Record<string, unknown> {
  let payload: Record<string, unknown> = {};
  if (payloadJson !== undefined) {
    const parsed = readValue(payloadJson);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--payload: expected a JSON object, got ${payloadJson}`);
    payload = { ...(parsed as Record<string, unknown>) };
  }
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const match = /^--([a-z][a-zA-Z0-9-]*)(?:=(.*))?$/.exec(token);
    if (!match) throw new UsageError(`unexpected argument "${token}": payload fields are given as --name value`);
    const [, flag = '', inline] = match;
    const next = tokens[i + 1];
    let value: unknown = true;
    if (inline !== undefined) value = readValue(inline);
    else if (next !== undefined && !next.startsWith('--')) {
      value = readValue(next);
      i++;
    }
    payload[camel(flag)] = value;
  }
  return payload;
}

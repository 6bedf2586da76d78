import pino from 'pino';
import type { Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** JSON lines for machines; readable lines when a person watches a terminal. */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  const isTerminal = (destination as NodeJS.WriteStream).isTTY === true;
  const stream = isTerminal ? pretty({ destination, colorize: true, sync: true }) : destination;
  return pino({ level, base: { service: 'tollkeeper' } }, stream);
}

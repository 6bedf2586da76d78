/**
 * Mail bodies from Handlebars templates: `templates/<name>.html` and `templates/<name>.txt`, each wrapped in the
 * `layout` partial of its kind (`templates/layout.html`, `templates/layout.txt`) for one look across every mail.
 * HTML output escapes every value by default; the text kind does not (it is no markup). Templates are read and
 * compiled once per renderer and then reused. Strict mode makes a misspelt field an error, not a blank in a mail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { DateTime } from 'luxon';
import { parseLocalDate } from '../domain/calendar';
import { formatMoney } from '../domain/money';

export interface RenderedMail {
  html: string;
  text: string;
}

export class TemplateError extends Error {}

type Kind = 'html' | 'txt';
const KINDS: readonly Kind[] = ['html', 'txt'];

/** The `templates/` folder of the project (or of the installed app: the Docker image copies it beside dist/). */
export function defaultTemplatesDir(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'templates', 'layout.html'))) return join(dir, 'templates');
    const parent = dirname(dir);
    if (parent === dir) throw new TemplateError(`cannot find a templates/ folder (with layout.html) above ${__dirname}`);
    dir = parent;
  }
}

/** `{{money units}}`: "$1,234.50". */
function money(units: unknown): string {
  if (typeof units !== 'number' || !Number.isSafeInteger(units)) throw new TemplateError(`money: expected integer units (got ${JSON.stringify(units)})`);
  return formatMoney(units);
}

/**
 * `{{date "2026-03-15"}}` for a local date: "15 Mar 2026"; `{{date instant zone}}` for an instant, shown in the
 * account's zone: "15 Mar 2026, 14:05 EDT".
 */
function date(value: unknown, ...rest: unknown[]): string {
  const zone = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
  if (typeof value === 'string' && !zone) {
    const { year, month, day } = parseLocalDate(value);
    return DateTime.utc(year, month, day).toFormat('d LLL yyyy');
  }
  const instant = value instanceof Date ? DateTime.fromJSDate(value) : typeof value === 'string' ? DateTime.fromISO(value) : null;
  if (!instant?.isValid) throw new TemplateError(`date: expected a local date or an instant (got ${JSON.stringify(value)})`);
  return instant.setZone(zone ?? 'UTC').toFormat('d LLL yyyy, HH:mm ZZZZ');
}

export class MailTemplates {
  private readonly environments: Record<Kind, typeof Handlebars>;
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(readonly dir: string = defaultTemplatesDir()) {
    this.environments = { html: this.environment('html'), txt: this.environment('txt') };
  }

  /** Renders both kinds of `name`; `data` is what the templates read, checked by strict mode. */
  render(name: string, data: object): RenderedMail {
    const [html, text] = KINDS.map((kind) => {
      try {
        return this.template(name, kind)(data);
      } catch (error) {
        if (error instanceof TemplateError) throw error;
        throw new TemplateError(`template ${name}.${kind}: ${(error as Error).message}`);
      }
    }) as [string, string];
    return { html, text };
  }

  private environment(kind: Kind): typeof Handlebars {
    const env = Handlebars.create();
    env.registerHelper({ money, date });
    env.registerPartial('layout', this.read('layout', kind));
    return env;
  }

  private template(name: string, kind: Kind): Handlebars.TemplateDelegate {
    const key = `${name}.${kind}`;
    let template = this.compiled.get(key);
    if (!template) {
      template = this.environments[kind].compile(this.read(name, kind), { strict: true, noEscape: kind === 'txt' });
      this.compiled.set(key, template);
    }
    return template;
  }

  private read(name: string, kind: Kind): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new TemplateError(`template name must be lowercase letters, digits and '-' (got ${JSON.stringify(name)})`);
    const path = join(this.dir, `${name}.${kind}`);
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new TemplateError(`template ${path}: cannot read: ${(error as Error).message}`);
    }
  }
}

let shared: MailTemplates | undefined;

/** The project's templates, loaded on first use and kept for the life of the process. */
export function mailTemplates(): MailTemplates {
  shared ??= new MailTemplates();
  return shared;
}

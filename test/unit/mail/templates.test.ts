import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailTemplates, TemplateError, mailTemplates } from '../../../src/mail/templates';

let dir: string;

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tk-templates-'));
  write('layout.html', '<main><h1>{{title}}</h1>{{> @partial-block }}</main>');
  write('layout.txt', '# {{title}}\n{{> @partial-block }}');
  write('statement.html', '{{#> layout title=subject}}<p>{{name}}</p><ul>{{#each lines}}<li>{{label}}: {{money amount}}</li>{{/each}}</ul><p>{{date day}}</p>{{/layout}}');
  write('statement.txt', '{{#> layout title=subject}}{{name}}\n{{#each lines}}- {{label}}: {{money amount}}\n{{/each}}{{date at zone}}{{/layout}}');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const data = {
  subject: 'Statement',
  name: 'Smith & <Sons>',
  lines: [
    { label: 'Top-up', amount: 250_000 },
    { label: 'Calls', amount: -12_345_678 },
  ],
  day: '2026-03-15',
  at: new Date('2026-03-15T18:05:00Z'),
  zone: 'America/New_York',
};

describe('mail templates', () => {
  it('renders html (escaped) and text (not escaped) inside their layouts, with loops and money to 2 decimals', () => {
    const { html, text } = new MailTemplates(dir).render('statement', data);
    expect(html).toBe(
      '<main><h1>Statement</h1><p>Smith &amp; &lt;Sons&gt;</p><ul><li>Top-up: $25.00</li><li>Calls: -$1,234.57</li></ul><p>15 Mar 2026</p></main>',
    );
    expect(text).toBe('# Statement\nSmith & <Sons>\n- Top-up: $25.00\n- Calls: -$1,234.57\n15 Mar 2026, 14:05 EDT');
  });

  it('reads each template once: a later edit of the file does not change what the renderer produces', () => {
    const templates = new MailTemplates(dir);
    const first = templates.render('statement', data);
    write('statement.html', 'changed');
    expect(templates.render('statement', data)).toEqual(first);
    expect(new MailTemplates(dir).render('statement', data).html).toBe('changed');
  });

  it('names the template and the missing field, and refuses money that is not integer units', () => {
    const templates = new MailTemplates(dir);
    const { name: _name, ...withoutName } = data;
    expect(() => templates.render('statement', withoutName)).toThrow(/template statement\.html: .*"name"/);
    expect(() => templates.render('statement', { ...data, lines: [{ label: 'x', amount: 1.5 }] })).toThrow(TemplateError);
    expect(() => templates.render('missing', data)).toThrow(/missing\.html: cannot read/);
    expect(() => templates.render('../etc/passwd', data)).toThrow(/template name/);
  });

  it('finds the project templates folder with its layout', () => {
    expect(mailTemplates().dir).toMatch(/templates$/);
  });
});

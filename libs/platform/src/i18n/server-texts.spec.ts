import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import ts from 'typescript';
import { LANGUAGES } from '@app/contracts/i18n/languages';
import { SERVER_RESOURCES, en } from '@app/contracts/i18n/server';
import { SCAN_CODE_DESCRIPTIONS } from '@app/contracts';
import { compileTemplate } from './api-message';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server catalogue (libs/contracts/src/i18n/server) is complete and alive: every key exists in every
 * language with that language's plural forms and the same placeholders, every English template is still a
 * message the code throws (or a constraint it uses, or a key it names), and every message the code throws
 * has a template.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const PLURAL = /_(zero|one|two|few|many|other)$/;
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

function baseKeys(texts: Record<string, string>): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const key of Object.keys(texts)) {
    const base = key.replace(PLURAL, '');
    const forms = keys.get(base) ?? new Set<string>();
    if (base !== key) forms.add(PLURAL.exec(key)![1]);
    keys.set(base, forms);
  }
  return keys;
}

/** Server sources (not the web portal, not specs): every string and template literal, `${…}` as \0. */
function serverLiterals(): { literals: Set<string>; thrown: Set<string> } {
  const files = execFileSync('git', ['ls-files', 'apps/*/src/*.ts', 'libs/*/src/*.ts'], { cwd: ROOT })
    .toString()
    .split('\n')
    .filter((f) => f && !f.startsWith('apps/web/') && !f.endsWith('.spec.ts') && !f.includes('/i18n/server/'));
  const literals = new Set<string>();
  const thrown = new Set<string>();
  const text = (node: ts.Node): string | undefined => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node))
      return node.head.text + node.templateSpans.map((s) => `\0${s.literal.text}`).join('');
    return undefined;
  };
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node): void => {
      const value = text(node);
      if (value !== undefined) literals.add(value);
      if (ts.isNewExpression(node) && /Exception$/.test(node.expression.getText(source)) && node.arguments?.[0]) {
        const first = node.arguments[0];
        const direct = text(first);
        if (direct !== undefined) thrown.add(direct);
        if (ts.isObjectLiteralExpression(first)) {
          for (const property of first.properties) {
            if (ts.isPropertyAssignment(property) && property.name.getText(source) === 'message') {
              const message = text(property.initializer);
              if (message !== undefined) thrown.add(message);
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, thrown };
}

const normalise = (template: string) => template.replace(/\{\{\s*\w+\s*\}\}/g, '\0');

describe('server texts (API errors and notifications)', () => {
  for (const language of LANGUAGES) {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    describe(language, () => {
      for (const ns of Object.keys(en) as (keyof typeof en)[]) {
        it(`has every ${ns} key of English, with its own plural forms and the same placeholders`, () => {
          const english = baseKeys(en[ns]);
          const texts = SERVER_RESOURCES[language][ns] as Record<string, string>;
          const own = baseKeys(texts);
          expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
          for (const [key, forms] of english) {
            const expected = forms.size ? [...categories].sort() : [];
            expect({ key, forms: [...(own.get(key) ?? [])].sort() }).toEqual({ key, forms: expected });
            const englishText = en[ns][(forms.size ? `${key}_other` : key) as keyof (typeof en)[typeof ns]];
            for (const [variant, value] of Object.entries(texts).filter(([k]) => k.replace(PLURAL, '') === key)) {
              expect({ variant, placeholders: placeholders(value) }).toEqual({
                variant,
                placeholders: placeholders(englishText),
              });
            }
          }
        });
      }
    });
  }

  const { literals, thrown } = serverLiterals();
  const normalisedLiterals = new Set(literals);
  const allLiterals = [...literals];

  it('uses every error template: each is a message the code still writes', () => {
    const unused = Object.entries(en.errors)
      .filter(([key, template]) => {
        const wanted = normalise(template);
        return !normalisedLiterals.has(wanted) && !literals.has(`errors:${key.replace(PLURAL, '')}`);
      })
      .map(([key]) => key.replace(PLURAL, ''));
    // A plural key is used when one of its forms is the code's text.
    const usedBases = new Set(
      Object.entries(en.errors)
        .filter(([, template]) => normalisedLiterals.has(normalise(template)))
        .map(([key]) => key.replace(PLURAL, '')),
    );
    expect([...new Set(unused)].filter((key) => !usedBases.has(key))).toEqual([]);
  });

  it('uses every validation template: a constraint the DTOs use, or a message a decorator gives', () => {
    const unused = Object.entries(en.validation).filter(([key, template]) => {
      if (key === 'whitelistValidation' || key === 'unknownValue' || key === 'nestedValidation') return false;
      const decorator = `@${key[0].toUpperCase()}${key.slice(1)}`.replace('@IsUUID', '@IsUUID');
      if (/^[a-z][A-Za-z]+$/.test(key)) return !allLiterals.length || !usesDecorator(decorator);
      const tail = normalise(template).replace(/^\0/, '');
      return !allLiterals.some((literal) => literal.endsWith(tail));
    });
    expect(unused.map(([key]) => key)).toEqual([]);
  });

  it('uses every notification text: each key is named by a template (a `${…}` part stands for any key part)', () => {
    const named = allLiterals
      .filter((literal) => literal.startsWith('notifications:'))
      .map((literal) => new RegExp(`^${literal.split('\0').map(escapeRegExp).join('[a-z_]+')}$`));
    const unused = [...baseKeys(en.notifications).keys()].filter(
      (key) => !named.some((pattern) => pattern.test(`notifications:${key}`)),
    );
    expect(unused).toEqual([]);
  });

  it('describes exactly the scan codes there are', () => {
    expect(Object.keys(en.scans).sort()).toEqual(Object.keys(SCAN_CODE_DESCRIPTIONS).sort());
  });

  it('has a template for every message the server throws', () => {
    const templates = [...Object.entries(en.errors), ...Object.entries(en.validation)].map(([key, text]) =>
      compileTemplate(key, text),
    );
    const missing = [...thrown]
      .filter((message) => message.replace(/\0/g, '').trim().length > 0)
      .map((message) => message.replace(/\0/g, '7'))
      .filter((message) => !templates.some((template) => template.pattern.test(message)));
    expect(missing).toEqual([]);
  });
});

// A decorator applied directly (`@IsDefined(…)`) or in a set of them (`applyDecorators(IsDefined(…), …)`).
const decoratorSources = execFileSync(
  'git',
  [
    'grep',
    '-h',
    '-o',
    '-e',
    '@[A-Z][A-Za-z]*',
    '-e',
    '[A-Z][A-Za-z]*(',
    '--',
    'apps/*/src/*dto*.ts',
    'libs/*/src/*dto*.ts',
  ],
  {
    cwd: ROOT,
  },
)
  .toString()
  .split('\n')
  .map((name) => `@${name.replace(/^@|\($/g, '')}`);
function usesDecorator(decorator: string): boolean {
  return decoratorSources.includes(decorator);
}

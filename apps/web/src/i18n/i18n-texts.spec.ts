import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { LANGUAGES, type Language } from '@app/contracts/i18n/languages';
import { en, type WebTexts } from './locales/en';
import { es } from './locales/es';
import { zhHans } from './locales/zh-Hans';

/**
 * The web portal's texts are complete and alive: every key of en.ts exists in every language with that
 * language's plural forms, the same placeholders and the same markup; every key is used by the code and every
 * key the code uses exists; and a translated page writes no English of its own.
 */
const TEXTS: Record<Language, WebTexts> = { en, es, 'zh-Hans': zhHans };
const SRC = path.resolve(__dirname, '..');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(texts: WebTexts, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(texts)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

function bases(flat: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of flat.keys()) {
    const base = key.replace(PLURAL, '');
    const forms = out.get(base) ?? [];
    if (base !== key) forms.push(PLURAL.exec(key)![1]);
    out.set(base, forms.sort());
  }
  return out;
}

const shape = (text: string) => ({
  placeholders: [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort(),
  tags: [...text.matchAll(/<\/?(\w+)>/g)].map((m) => m[0]).sort(),
});

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** Keys the code names: `t('a.b')`, `i18next.t('a.b')`, `i18nKey="a.b"`; `${…}` in a key stands for any part. */
function usedKeys(): { exact: Set<string>; patterns: RegExp[] } {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const file of sourceFiles()) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      let keyNode: ts.Node | undefined;
      if (ts.isCallExpression(node) && /(^|\.)t$/.test(node.expression.getText(source))) keyNode = node.arguments[0];
      if (ts.isJsxAttribute(node) && node.name.getText(source) === 'i18nKey') keyNode = node.initializer;
      if (keyNode && (ts.isStringLiteral(keyNode) || ts.isNoSubstitutionTemplateLiteral(keyNode))) {
        exact.add(keyNode.text);
      } else if (keyNode && ts.isTemplateExpression(keyNode)) {
        const parts = [keyNode.head.text, ...keyNode.templateSpans.map((s) => s.literal.text)];
        patterns.push(new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\w]+')}$`));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { exact, patterns };
}

describe('web portal texts', () => {
  const english = bases(flatten(en));

  for (const language of LANGUAGES) {
    it(`has every key in ${language}, with its plural forms, placeholders and markup`, () => {
      const flat = flatten(TEXTS[language]);
      const own = bases(flat);
      expect([...own.keys()].sort()).toEqual([...english.keys()].sort());
      const categories = [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
      const englishFlat = flatten(en);
      for (const [key, forms] of english) {
        expect({ key, forms: own.get(key) }).toEqual({ key, forms: forms.length ? categories : [] });
        const reference = shape(englishFlat.get(forms.length ? `${key}_other` : key)!);
        for (const [variant, text] of flat) {
          if (variant.replace(PLURAL, '') === key)
            expect({ variant, ...shape(text) }).toEqual({ variant, ...reference });
        }
      }
    });
  }

  const { exact, patterns } = usedKeys();

  it('names no markup after an HTML void element (the Trans parser would drop its content)', () => {
    const VOID = /<(area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)>/;
    const found = LANGUAGES.flatMap((language) =>
      [...flatten(TEXTS[language])].filter(([, text]) => VOID.test(text)).map(([key]) => `${language} ${key}`),
    );
    expect(found).toEqual([]);
  });

  it('uses every key', () => {
    const unused = [...english.keys()].filter((key) => !exact.has(key) && !patterns.some((p) => p.test(key)));
    expect(unused).toEqual([]);
  });

  it('defines every key the code uses', () => {
    expect([...exact].filter((key) => !english.has(key))).toEqual([]);
  });

  it('writes no English outside the texts, and no "(s)" plural anywhere', () => {
    const found: string[] = [];
    const attributes = new Set(['label', 'title', 'legend', 'hint', 'placeholder', 'aria-label', 'what', 'alt']);
    for (const file of sourceFiles().filter((f) => f.endsWith('.tsx'))) {
      const relative = path.relative(SRC, file);
      const text = fs.readFileSync(file, 'utf8');
      if (/[a-z]\(s\)[\s.,'"`]/.test(text)) found.push(`${relative}: "(s)"`);
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const visit = (node: ts.Node): void => {
        if (ts.isJsxText(node) && /[A-Za-z]{2}/.test(node.text)) found.push(`${relative}: ${node.text.trim()}`);
        if (
          ts.isJsxAttribute(node) &&
          attributes.has(node.name.getText(source)) &&
          node.initializer &&
          ts.isStringLiteral(node.initializer) &&
          /[A-Za-z]{2}/.test(node.initializer.text)
        ) {
          found.push(`${relative}: ${node.getText(source)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    for (const language of LANGUAGES) {
      for (const [key, value] of flatten(TEXTS[language])) if (/\w\(s\)/.test(value)) found.push(`${language} ${key}`);
    }
    expect(found).toEqual([]);
  });
});

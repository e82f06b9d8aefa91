import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Every side effect on the store sits behind a repository (STYLE.md): a Nest class (injectable,
 * controller, module) that injects a Mongoose model, or takes one in its constructor, lives in a
 * `*.repository.ts`. Services keep the rules; repositories own queries, update documents and
 * duplicate-key handling. The store helpers of libs/messaging take a model too, but they are plain
 * classes a repository builds, not providers.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const NEST_CLASS_DECORATORS = new Set(['Injectable', 'Controller', 'Module', 'Processor', 'Catch']);

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.(spec|e2e-spec|d)\.ts$/.test(entry.name) ? [full] : [];
  });
}

function decoratorName(decorator: ts.Decorator): string | undefined {
  const call = decorator.expression;
  const callee = ts.isCallExpression(call) ? call.expression : call;
  return ts.isIdentifier(callee) ? callee.text : undefined;
}

/** `Model<…>` (or `mongoose.Model<…>`) anywhere in a type. */
function mentionsModel(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node)) {
      const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
      if (name === 'Model') found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(type);
  return found;
}

/** `<file>: <Class>` for every Nest class in `source` whose constructor injects or takes a model. */
function classesHoldingModels(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node)) {
      const decorators = ts.getDecorators(node) ?? [];
      const isNestClass = decorators.some((d) => NEST_CLASS_DECORATORS.has(decoratorName(d) ?? ''));
      const constructor = node.members.find(ts.isConstructorDeclaration);
      const holdsModel = constructor?.parameters.some(
        (p) => (ts.getDecorators(p) ?? []).some((d) => decoratorName(d) === 'InjectModel') || mentionsModel(p.type),
      );
      if (isNestClass && holdsModel) found.push(`${fileName}: ${node.name?.text ?? '(anonymous)'}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('store access sits behind repositories', () => {
  it('finds a service that injects a model (the check itself)', () => {
    const service = `
      @Injectable()
      export class OrdersService {
        constructor(@InjectModel(Order.name) private readonly orders: Model<Order>, private readonly clock: Clock) {}
      }
      @Injectable()
      export class CardsService {
        constructor(readonly cards: mongoose.Model<Card>) {}
      }
      export class ConditionalUpdates<T> {
        constructor(private readonly model: Model<T>) {}
      }`;
    expect(classesHoldingModels('orders.service.ts', service)).toEqual([
      'orders.service.ts: OrdersService',
      'orders.service.ts: CardsService',
    ]);
  });

  it('no class outside a *.repository.ts injects a Mongoose model', () => {
    const files = ['apps', 'libs'].flatMap((top) =>
      fs
        .readdirSync(path.join(ROOT, top), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => sourceFiles(path.join(ROOT, top, entry.name, 'src'))),
    );
    expect(files.length).toBeGreaterThan(100);
    const offenders = files
      .filter((file) => !file.endsWith('.repository.ts'))
      .flatMap((file) => classesHoldingModels(path.relative(ROOT, file), fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

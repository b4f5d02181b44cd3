/**
 * The modeler's Chinese dictionary for bpmn-js: each key must be a text the installed packages actually pass to
 * `translate` (an upgrade that rewords a label shows up here instead of as a silently English label), and each
 * translation keeps the placeholders of its English original. Lint messages that carry values are translated by
 * pattern, checked against what the real linter reports for a model full of Camunda 8.3 problems.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { zhTranslations } from '../../server/modeler/client/translations.zh';
import { translationModules } from '../../server/modeler/client/translate';
import { lintFiles } from '../support/lint';

const NODE_MODULES = path.resolve(__dirname, '../../node_modules');

function javascriptFiles(relative: string): string[] {
  const full = path.join(NODE_MODULES, relative);
  if (full.endsWith('.js')) return [full];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Where the texts the modeler page shows come from. */
const SOURCES = [
  'bpmn-js/lib',
  'diagram-js/lib',
  'bpmn-js-properties-panel/dist/index.esm.js',
  '@bpmn-io/properties-panel/dist/index.esm.js',
  'bpmn-js-bpmnlint/dist/index.esm.js',
  'bpmnlint/rules',
]
  .flatMap(javascriptFiles)
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

/**
 * The properties panel's header names the element's type by spelling out its BPMN type: event definition prefix,
 * sub-process kind, "(Non Interrupting)"; these labels exist in no source file as such, so they are derived the
 * same way from the BPMN meta-model.
 */
function headerTypeLabels(): Set<string> {
  const bpmn = JSON.parse(readFileSync(path.join(NODE_MODULES, 'bpmn-moddle/resources/bpmn/json/bpmn.json'), 'utf8')) as { types: { name: string }[] };
  const types = bpmn.types.map((type) => type.name);
  const prefixes = types.filter((name) => name.endsWith('EventDefinition')).map((name) => name.replace('EventDefinition', ''));
  const events = types.filter((name) => name.endsWith('Event'));
  const concrete = [
    ...types,
    ...events.flatMap((event) => prefixes.flatMap((prefix) => [`${prefix}${event}`, `${prefix}${event}NonInterrupting`])),
    ...['Expanded', 'Collapsed', 'Event'].map((kind) => `${kind}SubProcess`),
    'DefaultFlow',
    'ConditionalFlow',
  ];
  return new Set(concrete.map((type) => type.replace(/(\B[A-Z])/g, ' $1').replace(/(\bNon Interrupting)/g, '($1)')));
}

const placeholders = (text: string) => [...text.matchAll(/{([^}]+)}/g)].map((match) => match[1]).sort();

describe('the modeler speaks Chinese', () => {
  it('translates only texts the packages pass to translate', () => {
    const headerLabels = headerTypeLabels();
    const unknown = Object.keys(zhTranslations).filter(
      (key) => !SOURCES.includes(`'${key}'`) && !SOURCES.includes(`"${key}"`) && !headerLabels.has(key),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps every placeholder of the original', () => {
    const mismatched = Object.entries(zhTranslations).filter(([key, text]) => placeholders(key).join() !== placeholders(text).join());
    expect(mismatched).toEqual([]);
  });

  it('replaces bpmn-js translate in zh-CN and leaves English as shipped', () => {
    const [module] = translationModules('zh-CN');
    const translate = module!.translate[1];
    expect(translate('Create start event')).toBe('创建开始事件');
    expect(translate('Open {element}', { element: '子流程' })).toBe('打开 子流程');
    expect(translate('{errors} Errors, {warnings} Warnings', { errors: 2, warnings: 0 })).toBe('2 个错误，0 个警告');
    expect(translate('A text nobody translated {x}')).toBe('A text nobody translated {x}');
    expect(translationModules('en')).toEqual([]);
  });
});

/** The messages bpmnlint and the Camunda 8.3 compatibility rules report for a fixture. */
function lintMessages(fixture: string): string[] {
  const file = path.resolve(__dirname, '../processes/fixtures', fixture);
  return lintFiles([file])[file].map((line) => line.slice(line.indexOf(': ') + 2));
}

describe('lint messages with values', () => {
  const [module] = translationModules('zh-CN');
  const translate = module!.translate[1];
  const messages = [...new Set(lintMessages('camunda-compat-problems.bpmn'))];

  it('come out in Chinese, keeping every value of the original', () => {
    const withValues = messages.filter((message) => message.includes('<'));
    expect(withValues.length).toBeGreaterThanOrEqual(5);
    for (const message of withValues) {
      const translated = translate(message);
      expect({ message, translated }).toEqual({ message, translated: expect.stringMatching(/[\u4e00-\u9fff]/) });
      expect(translated).not.toMatch(/\b(Element|must|allowed|Property|discouraged)\b/);
      for (const value of message.match(/<[^>]+>/g) ?? []) expect(translated).toContain(value);
    }
  });

  it('say what the rule found', () => {
    expect(translate('Element of type <bpmn:ServiceTask> must have one extension element of type <zeebe:TaskDefinition>')).toBe(
      '<bpmn:ServiceTask> 类型的元素必须有一个 <zeebe:TaskDefinition> 类型的扩展元素',
    );
    expect(translate('Element of type <zeebe:TaskDefinition> must have property <type>')).toBe('<zeebe:TaskDefinition> 类型的元素必须有属性 <type>');
    expect(translate('Element of type <bpmn:ComplexGateway> not allowed')).toBe('不允许 <bpmn:ComplexGateway> 类型的元素');
    expect(translate('Element of type <bpmn:Task> must have property <a> or <b>')).toBe('<bpmn:Task> 类型的元素必须有属性 <a> 或 <b>');
    expect(translationModules('en')).toEqual([]);
  });
});

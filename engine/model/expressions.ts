/**
 * Deployment checks of model attributes that hold expressions or variable paths, worded like Zeebe's
 * ZeebeExpressionValidator so rejections read the same.
 */
import { checkExpression, evaluateAny, parseDateTime, parseExpression, type Expression } from '../feel';
import type { Problems } from './problems';

export interface ExpressionRule {
  /** Absence is a problem (otherwise the caller only passes values that are present). */
  mandatory?: boolean;
  /** Must be FEEL (`=`...), e.g. conditions and correlation keys, which make no sense as constants. */
  nonStatic?: boolean;
  /** A requirement on static values only; `description` completes "Expected static value to ...". */
  ifStatic?: { test: (value: string) => boolean; description: string };
}

/**
 * Parses and checks `raw`. Always returns an expression so that the model can be built completely while
 * problems are being collected; an absent value yields an empty static one (compilation fails anyway
 * when that matters, because the absence was reported).
 */
export function readExpression(
  problems: Problems,
  elementId: string,
  raw: string | undefined,
  rule: ExpressionRule = {},
): Expression {
  if (raw === undefined) {
    if (rule.mandatory) problems.add(elementId, 'Expected expression but not found.');
    return parseExpression('');
  }
  const expression = parseExpression(raw);
  const syntaxProblem = checkExpression(expression);
  if (syntaxProblem !== null) {
    problems.add(elementId, syntaxProblem);
  } else if (expression.kind === 'static') {
    if (rule.nonStatic) {
      problems.add(
        elementId,
        `Expected expression but found static value '${raw}'. An expression must start with '=' (e.g. '=${raw}').`,
      );
    } else if (rule.ifStatic && !rule.ifStatic.test(expression.value)) {
      problems.add(elementId, `Expected static value to ${rule.ifStatic.description}, but found '${raw}'.`);
    }
  }
  return expression;
}

/** Zeebe's "hasNonEmptyAttribute": returns the value, or undefined after reporting it missing. */
export function requireAttribute(
  problems: Problems,
  elementId: string,
  value: string | undefined,
  name: string,
): string | undefined {
  if (value === undefined || value === '') {
    problems.add(elementId, `Attribute '${name}' must be present and not empty`);
    return undefined;
  }
  return value;
}

const PATH_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)*$/;
const PATH_RESERVED_WORDS = ['null', 'true', 'false', 'function', 'if', 'then', 'else', 'for', 'between', 'instance', 'of'];

/** Variable mapping targets: a variable name, or a dotted path into a context variable. */
export function readPath(problems: Problems, elementId: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') {
    problems.add(elementId, 'Expected path expression but not found.');
    return '';
  }
  if (!PATH_PATTERN.test(raw)) {
    problems.add(
      elementId,
      `Expected path expression '${raw}' but doesn't match the pattern '${PATH_PATTERN.source.slice(1, -1)}'.`,
    );
  }
  if (PATH_RESERVED_WORDS.includes(raw)) {
    problems.add(
      elementId,
      `Expected path expression '${raw}' but is one of the reserved words (${PATH_RESERVED_WORDS.join(', ')}).`,
    );
  }
  return raw;
}

/**
 * Names of process-level message and signal start events: the engine opens their subscriptions at
 * deployment, when there are no variables, so the name must evaluate to a string without any.
 */
export function checkConstantName(problems: Problems, elementId: string, name: Expression, what: 'message' | 'signal'): void {
  if (name.kind === 'static') return;
  const result = evaluateAny(name, {});
  if (!result.ok) {
    problems.add(
      elementId,
      `Expected constant expression but found '${name.raw}', which could not be evaluated without context: ${result.message}`,
    );
  } else if (typeof result.value !== 'string') {
    problems.add(
      elementId,
      `Expected constant expression of type String for ${what} name '${name.raw}', but was ${resultType(result.value)}`,
    );
  }
}

function resultType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  switch (typeof value) {
    case 'number':
      return 'NUMBER';
    case 'boolean':
      return 'BOOLEAN';
    default:
      return 'OBJECT';
  }
}

/** Zeebe's candidate groups / users as a static value: comma separated, no blank entry. */
export function isCsvList(value: string): boolean {
  return value === '' || value.split(',').every((entry) => entry.trim() !== '');
}

/** A static due / follow-up date: what the engine will parse at runtime. */
export function isDateTime(value: string): boolean {
  return parseDateTime(value) !== null;
}

/**
 * SNS subscription filter policies: which published messages a subscription receives.
 * Keys are ANDed, the conditions in a key's array are ORed, `$or` ORs whole sub-policies. Every condition except
 * `{"exists": false}` needs the key to be present. An array value (String.Array attribute, JSON array in the body)
 * matches when any of its elements does. MessageBody scope reads the JSON body and allows nested keys.
 */

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A parsed filter policy (the JSON object of the FilterPolicy subscription attribute). */
export type FilterPolicy = { [key: string]: unknown };

/** The parts of a published message a policy can look at; attributes are in SNS wire form. */
export interface FilterableMessage {
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  body: string;
}

/** A scalar a condition is compared with. */
type Scalar = string | number | boolean | null;

const OPERATORS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'numeric', 'anything-but', 'exists']);
const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);

/** True when `message` passes `policy`. The policy must be valid (see validateFilterPolicy). */
export function matchesFilterPolicy(
  policy: FilterPolicy,
  message: FilterableMessage,
  scope: FilterPolicyScope = 'MessageAttributes',
): boolean {
  if (scope === 'MessageAttributes') {
    return matchesNode(policy, (key) => attributeValues(message.attributes, key), () => undefined);
  }
  if (Object.keys(policy).length === 0) return true;
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false;
  }
  return matchesBody(policy, [body]);
}

/**
 * Throws an Error saying what is wrong when `policy` is not a filter policy SNS would accept for `scope`
 * (the reason SNS gives in its InvalidParameter error).
 */
export function validateFilterPolicy(policy: unknown, scope: FilterPolicyScope): asserts policy is FilterPolicy {
  if (!isPlainObject(policy)) throw new Error('Filter policy must be a JSON object');
  validateNode(policy, scope, '');
}

function matchesBody(policy: FilterPolicy, nodes: unknown[]): boolean {
  return matchesNode(
    policy,
    (key) => leafValues(childNodes(nodes, key)),
    (key, nested) => matchesBody(nested, childNodes(nodes, key)),
  );
}

/**
 * Evaluates one policy level. `valuesOf(key)` gives the scalars at a key (undefined when absent); `nested` evaluates
 * a nested policy under a key (MessageBody scope only, validation keeps them out of attribute policies).
 */
function matchesNode(
  policy: FilterPolicy,
  valuesOf: (key: string) => Scalar[] | undefined,
  nested: (key: string, policy: FilterPolicy) => boolean | undefined,
): boolean {
  for (const [key, rule] of Object.entries(policy)) {
    if (key === '$or') {
      const alternatives = rule as FilterPolicy[];
      if (!alternatives.some((alternative) => matchesNode(alternative, valuesOf, nested))) return false;
    } else if (Array.isArray(rule)) {
      const values = valuesOf(key);
      if (!rule.some((condition) => matchesCondition(condition, values))) return false;
    } else if (!nested(key, rule as FilterPolicy)) {
      return false;
    }
  }
  return true;
}

function matchesCondition(condition: unknown, values: Scalar[] | undefined): boolean {
  const present = values !== undefined && values.length > 0;
  if (isPlainObject(condition) && 'exists' in condition) return condition.exists === present;
  if (!present) return false;
  return values.some((value) => matchesScalar(condition, value));
}

function matchesScalar(condition: unknown, value: Scalar): boolean {
  if (!isPlainObject(condition)) return condition === value;
  const [operator, argument] = Object.entries(condition)[0];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(argument as string);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(argument as string);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === (argument as string).toLowerCase();
    case 'numeric':
      return typeof value === 'number' && inNumericRange(argument as (string | number)[], value);
    case 'anything-but':
      return !matchesExcluded(argument, value);
    default:
      return false;
  }
}

/** Whether `value` is one of what an `anything-but` excludes (a scalar, a list, or a prefix/suffix/ignore-case). */
function matchesExcluded(excluded: unknown, value: Scalar): boolean {
  if (Array.isArray(excluded)) return excluded.some((item) => item === value);
  if (!isPlainObject(excluded)) return excluded === value;
  if (typeof value !== 'string') return false;
  const [operator, argument] = Object.entries(excluded)[0];
  if (operator === 'prefix') return value.startsWith(argument as string);
  if (operator === 'suffix') return value.endsWith(argument as string);
  const candidates = (Array.isArray(argument) ? argument : [argument]) as string[];
  return candidates.some((candidate) => candidate.toLowerCase() === value.toLowerCase());
}

function inNumericRange(comparisons: (string | number)[], value: number): boolean {
  for (let i = 0; i < comparisons.length; i += 2) {
    const bound = comparisons[i + 1] as number;
    const holds =
      comparisons[i] === '=' ? value === bound
      : comparisons[i] === '>' ? value > bound
      : comparisons[i] === '>=' ? value >= bound
      : comparisons[i] === '<' ? value < bound
      : value <= bound;
    if (!holds) return false;
  }
  return true;
}

/** Scalars of a message attribute; Binary attributes are invisible to filter policies. */
function attributeValues(attributes: FilterableMessage['attributes'], key: string): Scalar[] | undefined {
  const attribute = attributes[key];
  if (!attribute || attribute.DataType.startsWith('Binary') || attribute.StringValue === undefined) return undefined;
  if (attribute.DataType.startsWith('Number')) return [Number(attribute.StringValue)];
  if (attribute.DataType === 'String.Array') {
    try {
      const parsed: unknown = JSON.parse(attribute.StringValue);
      return Array.isArray(parsed) ? leafValues(parsed) : undefined;
    } catch {
      return undefined;
    }
  }
  return [attribute.StringValue];
}

/** The nodes under `key` in each of `nodes`; arrays of objects fan out, as SNS flattens them. */
function childNodes(nodes: unknown[], key: string): unknown[] {
  const children: unknown[] = [];
  for (const node of nodes) {
    if (Array.isArray(node)) children.push(...childNodes(node, key));
    else if (isPlainObject(node) && key in node) children.push(node[key]);
  }
  return children;
}

function leafValues(nodes: unknown[]): Scalar[] | undefined {
  if (nodes.length === 0) return undefined;
  const values: Scalar[] = [];
  const collect = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (!isPlainObject(node)) values.push(node as Scalar);
  };
  nodes.forEach(collect);
  return values;
}

function validateNode(node: FilterPolicy, scope: FilterPolicyScope, path: string): void {
  for (const [key, rule] of Object.entries(node)) {
    const where = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(rule) || rule.length < 2 || !rule.every(isPlainObject)) {
        throw new Error(`$or must be an array of at least two filter policies`);
      }
      for (const alternative of rule) validateNode(alternative as FilterPolicy, scope, path);
    } else if (Array.isArray(rule)) {
      if (rule.length === 0) throw new Error(`Empty arrays are not allowed (at ${where})`);
      for (const condition of rule) validateCondition(condition, where);
    } else if (isPlainObject(rule)) {
      if (scope === 'MessageAttributes') {
        throw new Error(`Filter policy scope MessageAttributes does not support nested filter policy (at ${where})`);
      }
      validateNode(rule, scope, where);
    } else {
      throw new Error(`Match value must be an array (at ${where})`);
    }
  }
}

function validateCondition(condition: unknown, where: string): void {
  if (condition === null || ['string', 'number', 'boolean'].includes(typeof condition)) return;
  if (!isPlainObject(condition)) throw new Error(`Match value must be a string, number, or operator object (at ${where})`);
  const entries = Object.entries(condition);
  if (entries.length !== 1 || !OPERATORS.has(entries[0][0])) {
    throw new Error(`Unrecognized match type ${entries.map(([k]) => k).join(',')} (at ${where})`);
  }
  const [operator, argument] = entries[0];
  const fail = (reason: string) => {
    throw new Error(`${reason} (at ${where})`);
  };
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof argument !== 'string') fail(`${operator} match pattern must be a string`);
      break;
    case 'exists':
      if (typeof argument !== 'boolean') fail('exists match pattern must be either true or false');
      break;
    case 'numeric':
      validateNumeric(argument, fail);
      break;
    case 'anything-but':
      validateAnythingBut(argument, fail);
      break;
  }
}

function validateNumeric(argument: unknown, fail: (reason: string) => void): void {
  const valid =
    Array.isArray(argument) &&
    ((argument.length === 2 &&
      (argument[0] === '=' || LOWER_BOUNDS.has(argument[0]) || UPPER_BOUNDS.has(argument[0])) &&
      typeof argument[1] === 'number') ||
      (argument.length === 4 &&
        LOWER_BOUNDS.has(argument[0]) &&
        typeof argument[1] === 'number' &&
        UPPER_BOUNDS.has(argument[2]) &&
        typeof argument[3] === 'number' &&
        argument[1] < argument[3]));
  if (!valid) fail('Invalid numeric match: use ["=", n], [">"|">="|"<"|"<=", n] or [">"|">=", low, "<"|"<=", high]');
}

function validateAnythingBut(argument: unknown, fail: (reason: string) => void): void {
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
  if (scalar(argument)) return;
  if (Array.isArray(argument)) {
    if (argument.length === 0 || !argument.every(scalar)) fail('anything-but list must hold strings or numbers');
    return;
  }
  if (isPlainObject(argument)) {
    const entries = Object.entries(argument);
    const [operator, value] = entries[0] ?? [];
    const ok =
      entries.length === 1 &&
      (((operator === 'prefix' || operator === 'suffix') && typeof value === 'string') ||
        (operator === 'equals-ignore-case' &&
          (typeof value === 'string' ||
            (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')))));
    if (ok) return;
  }
  fail('Invalid anything-but match');
}

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

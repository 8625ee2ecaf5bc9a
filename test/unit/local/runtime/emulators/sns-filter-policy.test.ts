import {
  type FilterableMessage,
  type FilterPolicy,
  matchesFilterPolicy,
  validateFilterPolicy,
} from '../../../../../local/runtime/emulators/sns-filter-policy';

const str = (StringValue: string) => ({ DataType: 'String', StringValue });
const num = (value: number) => ({ DataType: 'Number', StringValue: String(value) });
const list = (values: unknown[]) => ({ DataType: 'String.Array', StringValue: JSON.stringify(values) });

/** The message most attribute cases run against. */
const orderPlaced: FilterableMessage = {
  attributes: {
    type: str('order.placed'),
    store: str('Example-Store'),
    amount: num(150),
    channels: list(['email', 'sms']),
    signature: { DataType: 'Binary', BinaryValue: Buffer.from('sig').toString('base64') },
  },
  body: '{}',
};

describe('matchesFilterPolicy, MessageAttributes scope', () => {
  const cases: [string, FilterPolicy, boolean][] = [
    ['empty policy', {}, true],
    ['exact string', { type: ['order.placed'] }, true],
    ['exact string, other value', { type: ['order.shipped'] }, false],
    ['OR within a key', { type: ['order.shipped', 'order.placed'] }, true],
    ['AND across keys, both match', { type: ['order.placed'], store: ['Example-Store'] }, true],
    ['AND across keys, one fails', { type: ['order.placed'], store: ['Other'] }, false],
    ['missing attribute', { region: ['eu'] }, false],
    ['exact number', { amount: [150] }, true],
    ['exact number, numerically equal', { amount: [150.0] }, true],
    ['number does not match its string form', { amount: ['150'] }, false],
    ['string does not match a number condition', { type: [1] }, false],
    ['prefix', { type: [{ prefix: 'order.' }] }, true],
    ['prefix, no match', { type: [{ prefix: 'payment.' }] }, false],
    ['suffix', { type: [{ suffix: '.placed' }] }, true],
    ['suffix, no match', { type: [{ suffix: '.paid' }] }, false],
    ['equals-ignore-case', { store: [{ 'equals-ignore-case': 'example-STORE' }] }, true],
    ['equals-ignore-case, no match', { store: [{ 'equals-ignore-case': 'example' }] }, false],
    ['anything-but value', { type: [{ 'anything-but': 'order.shipped' }] }, true],
    ['anything-but the value itself', { type: [{ 'anything-but': 'order.placed' }] }, false],
    ['anything-but list', { type: [{ 'anything-but': ['a', 'order.placed'] }] }, false],
    ['anything-but number', { amount: [{ 'anything-but': [100, 200] }] }, true],
    ['anything-but number, excluded', { amount: [{ 'anything-but': 150 }] }, false],
    ['anything-but prefix', { type: [{ 'anything-but': { prefix: 'payment.' } }] }, true],
    ['anything-but prefix, excluded', { type: [{ 'anything-but': { prefix: 'order.' } }] }, false],
    ['anything-but suffix, excluded', { type: [{ 'anything-but': { suffix: '.placed' } }] }, false],
    ['anything-but needs the attribute', { region: [{ 'anything-but': 'eu' }] }, false],
    ['numeric range inside', { amount: [{ numeric: ['>', 100, '<=', 150] }] }, true],
    ['numeric range outside', { amount: [{ numeric: ['>=', 0, '<', 150] }] }, false],
    ['numeric equals', { amount: [{ numeric: ['=', 150] }] }, true],
    ['numeric on a string attribute', { type: [{ numeric: ['>', 0] }] }, false],
    ['exists true, present', { type: [{ exists: true }] }, true],
    ['exists true, absent', { region: [{ exists: true }] }, false],
    ['exists false, absent', { region: [{ exists: false }] }, true],
    ['exists false, present', { type: [{ exists: false }] }, false],
    ['String.Array matches any element', { channels: ['sms'] }, true],
    ['String.Array, no element matches', { channels: ['push'] }, false],
    ['String.Array with prefix', { channels: [{ prefix: 'em' }] }, true],
    ['Binary attributes are invisible', { signature: [{ exists: true }] }, false],
    ['$or, second branch matches', { $or: [{ type: ['x'] }, { store: ['Example-Store'] }] }, true],
    ['$or, no branch matches', { $or: [{ type: ['x'] }, { store: ['y'] }] }, false],
    ['$or ANDed with a key', { amount: [{ numeric: ['>', 1000] }], $or: [{ type: ['order.placed'] }, { store: ['y'] }] }, false],
  ];

  it.each(cases)('%s', (_name, policy, expected) => {
    expect(matchesFilterPolicy(policy, orderPlaced, 'MessageAttributes')).toBe(expected);
  });

  it('treats a message without attributes as matching only exists:false', () => {
    const bare: FilterableMessage = { attributes: {}, body: 'x' };
    expect(matchesFilterPolicy({ type: [{ exists: false }] }, bare)).toBe(true);
    expect(matchesFilterPolicy({ type: [{ 'anything-but': 'x' }] }, bare)).toBe(false);
  });
});

describe('matchesFilterPolicy, MessageBody scope', () => {
  const body = JSON.stringify({
    type: 'order.placed',
    order: { total: 99.5, currency: 'VND', customer: { tier: 'gold' }, paid: false },
    lines: [{ sku: 'A-1', qty: 1 }, { sku: 'B-2', qty: 3 }],
    note: null,
  });
  const message: FilterableMessage = { attributes: { type: str('ignored') }, body };

  const cases: [string, FilterPolicy, boolean][] = [
    ['top-level key', { type: ['order.placed'] }, true],
    ['nested key', { order: { currency: ['VND'] } }, true],
    ['deeply nested key', { order: { customer: { tier: ['gold', 'platinum'] } } }, true],
    ['nested key, other value', { order: { customer: { tier: ['silver'] } } }, false],
    ['nested numeric range', { order: { total: [{ numeric: ['>', 50, '<', 100] }] } }, true],
    ['boolean value', { order: { paid: [false] } }, true],
    ['null value', { note: [null] }, true],
    ['array of objects fans out', { lines: { sku: ['B-2'] } }, true],
    ['array of objects, no element matches', { lines: { sku: ['C-3'] } }, false],
    ['missing nested key', { order: { coupon: ['X'] } }, false],
    ['exists false on missing nested key', { order: { coupon: [{ exists: false }] } }, true],
    ['AND across nested keys', { type: ['order.placed'], order: { currency: ['USD'] } }, false],
    ['$or at a nested level', { order: { $or: [{ currency: ['USD'] }, { total: [{ numeric: ['<', 100] }] }] } }, true],
    ['attributes are not consulted', { type: ['ignored'] }, false],
  ];

  it.each(cases)('%s', (_name, policy, expected) => {
    expect(matchesFilterPolicy(policy, message, 'MessageBody')).toBe(expected);
  });

  it('does not match a body that is not JSON, unless the policy is empty', () => {
    const text: FilterableMessage = { attributes: {}, body: 'plain text' };
    expect(matchesFilterPolicy({ type: [{ exists: false }] }, text, 'MessageBody')).toBe(false);
    expect(matchesFilterPolicy({}, text, 'MessageBody')).toBe(true);
  });
});

describe('validateFilterPolicy', () => {
  const valid: [string, unknown, 'MessageAttributes' | 'MessageBody'][] = [
    ['exact values', { type: ['a', 1] }, 'MessageAttributes'],
    ['every operator', {
      a: [{ prefix: 'x' }], b: [{ suffix: 'x' }], c: [{ 'equals-ignore-case': 'x' }], d: [{ numeric: ['>=', 1, '<', 2] }],
      e: [{ exists: true }], f: [{ 'anything-but': ['x', 1] }], g: [{ 'anything-but': { prefix: 'x' } }],
    }, 'MessageAttributes'],
    ['nested for the body', { order: { total: [{ numeric: ['>', 0] }] } }, 'MessageBody'],
    ['$or', { $or: [{ a: ['x'] }, { b: ['y'] }] }, 'MessageAttributes'],
  ];
  it.each(valid)('accepts %s', (_name, policy, scope) => {
    expect(() => validateFilterPolicy(policy, scope)).not.toThrow();
  });

  const invalid: [string, unknown, 'MessageAttributes' | 'MessageBody', RegExp][] = [
    ['a non-object', ['a'], 'MessageAttributes', /JSON object/],
    ['a bare value', { type: 'a' }, 'MessageAttributes', /must be an array/],
    ['an empty array', { type: [] }, 'MessageAttributes', /Empty arrays/],
    ['nesting in attribute scope', { order: { total: [1] } }, 'MessageAttributes', /does not support nested/],
    ['an unknown operator', { type: [{ wildcard: '*' }] }, 'MessageAttributes', /Unrecognized match type wildcard/],
    ['a numeric range upside down', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'MessageAttributes', /numeric/],
    ['a numeric operator typo', { n: [{ numeric: ['>>', 5] }] }, 'MessageAttributes', /numeric/],
    ['exists with a string', { n: [{ exists: 'yes' }] }, 'MessageAttributes', /exists/],
    ['prefix with a number', { n: [{ prefix: 1 }] }, 'MessageAttributes', /prefix/],
    ['anything-but with an object list', { n: [{ 'anything-but': [{}] }] }, 'MessageAttributes', /anything-but/],
    ['$or with one branch', { $or: [{ a: ['x'] }] }, 'MessageAttributes', /\$or/],
  ];
  it.each(invalid)('rejects %s', (_name, policy, scope, reason) => {
    expect(() => validateFilterPolicy(policy, scope)).toThrow(reason);
  });
});

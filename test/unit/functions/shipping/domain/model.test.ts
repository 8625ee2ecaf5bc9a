import { defaultPreferences, eligibleCarriers, orderIdOfShipment, parcelOf, shipmentIdOf } from '../../../../../functions/shipping/domain/model';
import { parseCsv, toCsv } from '../../../../../functions/shipping/domain/csv';

describe('a parcel of items', () => {
  it('adds the weights, keeps the largest sides and stacks the smallest', () => {
    const parcel = parcelOf([
      { quantity: 2, weightGrams: 220, dimensionsCm: { l: 30, w: 25, h: 2 } },
      { quantity: 1, weightGrams: 450, dimensionsCm: { l: 4, w: 40, h: 30 } },
    ]);
    expect(parcel).toEqual({ weightGrams: 890, dimensionsCm: { l: 40, w: 30, h: 8 } });
  });
});

describe('carrier eligibility', () => {
  const serves = (carrier: string, country: string, level: string) =>
    ({ pathao: country === 'BD', steadfast: country === 'BD' && level === 'standard', ghn: country === 'VN', easypost: true })[carrier] ?? false;

  it('keeps the seller\'s order among the carriers serving the destination and level', () => {
    const preferences = defaultPreferences('s');
    expect(eligibleCarriers(preferences, { country: 'BD', serviceLevel: 'standard' }, serves).map((p) => p.carrier)).toEqual(['pathao', 'steadfast', 'easypost']);
    expect(eligibleCarriers(preferences, { country: 'BD', serviceLevel: 'express' }, serves).map((p) => p.carrier)).toEqual(['pathao', 'easypost']);
    expect(eligibleCarriers(preferences, { country: 'VN', serviceLevel: 'standard' }, serves).map((p) => p.carrier)).toEqual(['ghn', 'easypost']);
  });

  it('honours destinations and levels per carrier, and always offers a csv carrier', () => {
    const preferences = {
      sellerId: 's',
      carriers: [
        { carrier: 'sundarban', integration: 'csv' as const, priority: 3, serviceLevels: [], destinations: ['BD'] },
        { carrier: 'pathao', integration: 'api' as const, priority: 1, serviceLevels: ['express' as const], destinations: [] },
      ],
    };
    expect(eligibleCarriers(preferences, { country: 'BD', serviceLevel: 'standard' }, serves).map((p) => p.carrier)).toEqual(['sundarban']);
    expect(eligibleCarriers(preferences, { country: 'BD', serviceLevel: 'express' }, serves).map((p) => p.carrier)).toEqual(['pathao', 'sundarban']);
  });
});

describe('shipment ids', () => {
  it('derive from the order and lead back to it', () => {
    const orderId = 'ord_01hzzzzzzzzzzzzzzzzzzzzzzz';
    expect(orderIdOfShipment(shipmentIdOf(orderId, 0))).toBe(orderId);
    expect(orderIdOfShipment('shp_nope')).toBeUndefined();
  });
});

describe('CSV', () => {
  it('parses quoted fields with commas, doubled quotes and line breaks, and skips blank lines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n\nlast,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
      { line: 5, fields: ['last', ''] },
    ]);
    expect(() => parseCsv('"open')).toThrow(SyntaxError);
  });

  it('writes what it parses back, quoting formula-like fields against CSV injection', () => {
    const rows = [['=SUM(A1)', 'a,b', 'plain', '+880']];
    const text = toCsv(rows);
    expect(text).toBe('"=SUM(A1)","a,b",plain,"+880"\r\n');
    expect(parseCsv(text)[0].fields).toEqual(rows[0]);
  });
});

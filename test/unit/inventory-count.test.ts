import fc from 'fast-check';
import { InventoryCountError, countInventory } from '../../src/domain/inventory-count';
import type { InventoryItem } from '../../src/domain/inventory-count';

const device = (id: string, type: string): InventoryItem => ({ _id: id, kind: 'device', type });

describe('countInventory', () => {
  it('counts each kind into its plan category', () => {
    const counted = countInventory([
      device('d1', 'sip_device'),
      device('d2', 'sip_device'),
      device('d3', 'softphone'),
      { _id: 'n1', kind: 'phone_number', type: 'did_us', features: ['e911', 'inbound_cnam'] },
      { _id: 'n2', kind: 'phone_number', type: 'did_us', features: ['e911'] },
      { _id: 'n3', kind: 'phone_number', type: 'tollfree_us' },
      { _id: 'u1', kind: 'user', type: 'admin' },
      { _id: 'u2', kind: 'user', type: 'user' },
      { _id: 'l1', kind: 'limits', type: 'trunks', counts: { twoway_trunks: 3, inbound_trunks: 0, outbound_trunks: 2 } },
      { _id: 'ip1', kind: 'ip', type: 'dedicated' },
      { _id: 'b1', kind: 'branding', type: 'whitelabel' },
    ]);
    expect(counted).toEqual({
      devices: { sip_device: 2, softphone: 1 },
      phone_numbers: { did_us: 2, tollfree_us: 1 },
      number_services: { e911: 2, inbound_cnam: 1 },
      users: { admin: 1, user: 1 },
      limits: { twoway_trunks: 3, outbound_trunks: 2 },
      ips: { dedicated: 1 },
      branding: { whitelabel: 1 },
    });
  });

  it('adds the trunk counts of several limits documents and counts a feature listed twice once', () => {
    expect(
      countInventory([
        { _id: 'l1', kind: 'limits', type: 'trunks', counts: { twoway_trunks: 3 } },
        { _id: 'l2', kind: 'limits', type: 'trunks', counts: { twoway_trunks: 2 } },
        { _id: 'n1', kind: 'phone_number', type: 'did_us', features: ['e911', 'e911'] },
      ]),
    ).toEqual({ limits: { twoway_trunks: 5 }, phone_numbers: { did_us: 1 }, number_services: { e911: 1 } });
  });

  it('is empty for no inventory, and keeps names such as __proto__ as plain items', () => {
    expect(countInventory([])).toEqual({});
    const counted = countInventory([device('d1', '__proto__')]);
    expect(Object.getOwnPropertyNames(counted.devices)).toEqual(['__proto__']);
    expect(counted.devices!['__proto__']).toBe(1);
  });

  it('names the item, the field and the value of bad input', () => {
    expect(() => countInventory([{ _id: 'x', kind: 'fax_machine' as never, type: 'a' }])).toThrow(
      new InventoryCountError('inventory item "x": kind: expected one of device, phone_number, user, limits, ip, branding (got "fax_machine")'),
    );
    expect(() => countInventory([device('d', '')])).toThrow('inventory item "d": type: expected a non-empty name (got "")');
    expect(() => countInventory([{ _id: 'l', kind: 'limits', type: 'trunks', counts: { twoway_trunks: -1 } }])).toThrow(
      'inventory item "l": counts.twoway_trunks: expected a whole number >= 0 (got -1)',
    );
    expect(() => countInventory([{ _id: 'l', kind: 'limits', type: 'trunks' }])).toThrow('inventory item "l": counts: expected an object of trunk counts');
    expect(() => countInventory([{ _id: 'n', kind: 'phone_number', type: 'did_us', features: [''] }])).toThrow(
      'inventory item "n": features[0]: expected a non-empty name (got "")',
    );
  });

  it('counts every device exactly once, whatever the order (property)', () => {
    const types = fc.constantFrom('sip_device', 'softphone', 'cellphone');
    fc.assert(
      fc.property(fc.array(types, { maxLength: 40 }), (list) => {
        const items = list.map((type, i) => device(`d${i}`, type));
        const counted = countInventory(items);
        const reversed = countInventory([...items].reverse());
        expect(reversed).toEqual(counted);
        const total = Object.values(counted.devices ?? {}).reduce((a, b) => a + b, 0);
        expect(total).toBe(list.length);
      }),
    );
  });
});

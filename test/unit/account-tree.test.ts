import { AccountTreeError, ancestorsUpToReseller, cascadeQuantities, isInSubtree, resellerOf } from '../../src/domain/account-tree';
import type { CountedAccount, TreeAccount } from '../../src/domain/account-tree';

//            master
//           /      \
//   reseller (R)    direct
//      |              |
//    client       sub (R)
//      |              |
//    branch         leaf
function account(_id: string, ancestors: string[], isReseller = false, quantities: CountedAccount['quantities'] = {}): CountedAccount {
  return { _id, parentId: ancestors.at(-1) ?? null, ancestors, isReseller, quantities };
}

const tree = [
  account('master', []),
  account('reseller', ['master'], true, { devices: { sip_device: 1 } }),
  account('client', ['master', 'reseller'], false, { devices: { sip_device: 2, softphone: 1 }, phone_numbers: { did_us: 3 } }),
  account('branch', ['master', 'reseller', 'client'], false, { devices: { sip_device: 5 } }),
  account('direct', ['master'], false, { devices: { sip_device: 7 } }),
  account('sub', ['master', 'direct'], true),
  account('leaf', ['master', 'direct', 'sub'], false, { users: { user: 4 } }),
];
const byId = new Map<string, TreeAccount>(tree.map((a) => [a._id, a]));
const get = (id: string) => byId.get(id)!;

describe('resellerOf', () => {
  it('is the nearest ancestor flagged reseller', () => {
    expect(resellerOf(get('branch'), byId)).toBe('reseller');
    expect(resellerOf(get('client'), byId)).toBe('reseller');
    expect(resellerOf(get('leaf'), byId)).toBe('sub');
  });

  it('never considers the account itself', () => {
    expect(resellerOf(get('reseller'), byId)).toBe('master');
    expect(resellerOf(get('sub'), byId)).toBe('master');
  });

  it('falls back to the master (root) when no ancestor is a reseller; the master has none', () => {
    expect(resellerOf(get('direct'), byId)).toBe('master');
    expect(resellerOf(get('master'), byId)).toBeNull();
  });

  it('refuses to guess when an ancestor is missing', () => {
    expect(() => resellerOf(get('branch'), new Map([['master', get('master')]]))).toThrow(AccountTreeError);
  });
});

describe('isInSubtree', () => {
  it('holds for the root itself and everything beneath it, and nothing else', () => {
    expect(tree.filter((a) => isInSubtree(a, 'reseller')).map((a) => a._id)).toEqual(['reseller', 'client', 'branch']);
    expect(tree.filter((a) => isInSubtree(a, 'master'))).toHaveLength(tree.length);
    expect(isInSubtree(get('direct'), 'reseller')).toBe(false);
  });
});

describe('cascadeQuantities', () => {
  it('sums the own counts of every account beneath, leaving the account itself out', () => {
    expect(cascadeQuantities('reseller', tree)).toEqual({ devices: { sip_device: 2 + 5, softphone: 1 }, phone_numbers: { did_us: 3 } });
    expect(cascadeQuantities('master', tree)).toEqual({
      devices: { sip_device: 1 + 2 + 5 + 7, softphone: 1 },
      phone_numbers: { did_us: 3 },
      users: { user: 4 },
    });
    expect(cascadeQuantities('branch', tree)).toEqual({});
  });

  it('keeps any item name as data', () => {
    const odd = [account('root', []), account('child', ['root'], false, JSON.parse('{"__proto__": {"x": 1}}') as CountedAccount['quantities'])];
    const cascade = cascadeQuantities('root', odd);
    expect(Object.getOwnPropertyNames(cascade)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('ancestorsUpToReseller', () => {
  it('lists the ancestors from the parent up to the reseller, nearest first', () => {
    expect(ancestorsUpToReseller(get('branch'), byId)).toEqual(['client', 'reseller']);
    expect(ancestorsUpToReseller(get('client'), byId)).toEqual(['reseller']);
    expect(ancestorsUpToReseller(get('leaf'), byId)).toEqual(['sub']);
  });

  it('goes up to the master when there is no reseller, and is empty for the master', () => {
    expect(ancestorsUpToReseller(get('sub'), byId)).toEqual(['direct', 'master']);
    expect(ancestorsUpToReseller(get('reseller'), byId)).toEqual(['master']);
    expect(ancestorsUpToReseller(get('master'), byId)).toEqual([]);
  });
});

/**
 * How billing units and the resources assigned to them are named and told apart. Pure.
 */

/** Input that cannot name a unit, a phone number or a user; the message names the field and the value. */
export class BillingUnitInputError extends Error {}

/** The report row for what belongs to no unit: no unit may take this name. */
export const UNASSIGNED = 'Unassigned';

const MAX_NAME_LENGTH = 64;

export interface UnitName {
  /** As shown: trimmed, inner runs of white space made one space. */
  readonly name: string;
  /** What makes two names the same within an account: case, width and spacing ignored ("Sales" = " SALES "). */
  readonly key: string;
}

export function unitName(text: string, field = 'name'): UnitName {
  const name = text.normalize('NFC').trim().replace(/\s+/gu, ' ');
  const fail = (why: string) => new BillingUnitInputError(`${field}: ${why} (got ${JSON.stringify(text)})`);
  if (name.length === 0) throw fail('a unit needs a name');
  if (name.length > MAX_NAME_LENGTH) throw fail(`at most ${MAX_NAME_LENGTH} characters`);
  if (/\p{Cc}|\p{Cf}/u.test(name)) throw fail('no control or invisible formatting characters');
  const key = nameKey(name);
  if (key === nameKey(UNASSIGNED)) throw fail(`"${UNASSIGNED}" is reserved for what belongs to no unit`);
  return { name, key };
}

export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-US');
}

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * A phone number as the platform stores it (E.164, "+14155550100"), from the ways people and CDRs write it: spaces,
 * dots, dashes and brackets are dropped, a `tel:`/`sip:` scheme and a SIP `@host` too, and a number written without
 * "+" is read as already starting with its country code. Text that is not a number comes back trimmed, unchanged,
 * so that it matches no number ("anonymous").
 */
export function canonicalNumber(text: string): string {
  const trimmed = text.trim();
  const bare = trimmed.replace(/^(?:tel|sip):/i, '').replace(/@.*$/, '').replace(/[\s().-]/g, '');
  if (/^\+?\d+$/.test(bare)) return bare.startsWith('+') ? bare : `+${bare}`;
  return trimmed;
}

/** A number given by a person: must be E.164 once written canonically. */
export function phoneNumber(text: string, field = 'number'): string {
  const number = canonicalNumber(text);
  if (!E164.test(number)) {
    throw new BillingUnitInputError(`${field}: ${JSON.stringify(text)} is not a phone number in E.164 form (+ country code and number, such as +14155550100)`);
  }
  return number;
}

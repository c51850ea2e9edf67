import { describe, expect, it } from 'vitest';
import { idCheckChar, idNumberFailureKey, validateIdNumber } from '../../src/core/people/id-number';
import { mobileFailureKey, normalizeMobile } from '../../src/core/people/phone';

/** Independent ISO 7064 MOD 11-2 so the test does not trust the code under test. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = Array.from(first17).reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

const NOW = new Date('2025-06-15T04:00:00Z');

describe('validateIdNumber', () => {
  it('accepts the GB 11643 textbook examples', () => {
    expect(validateIdNumber('11010519491231002X', NOW)).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
      regionCode: '110105',
    });
    // The standard's other example is born in 1880, before the 1900 floor this programme applies.
    expect(validateIdNumber('440524188001010014', NOW)).toEqual({ ok: false, reason: 'birth_date' });
  });

  it('accepts Zhaotong IDs computed with the algorithm, male and female', () => {
    const male = withCheck('53062119900101123');
    const female = withCheck('53062719851120002');
    expect(validateIdNumber(male, NOW)).toMatchObject({ ok: true, gender: 'male', regionCode: '530621' });
    expect(validateIdNumber(female, NOW)).toMatchObject({
      ok: true,
      gender: 'female',
      birthDate: '1985-11-20',
    });
    expect(idCheckChar(male.slice(0, 17))).toBe(male.slice(17));
  });

  it('tolerates spaces, full-width digits and a lower-case x', () => {
    expect(validateIdNumber(' 110105 19491231 002x ', NOW)).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
    expect(validateIdNumber('１１０１０５１９４９１２３１００２Ｘ', NOW)).toMatchObject({ ok: true });
  });

  it('rejects a wrong check digit', () => {
    expect(validateIdNumber('110105194912310021', NOW)).toEqual({ ok: false, reason: 'check_digit' });
    const good = withCheck('53062119900101123');
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    expect(validateIdNumber(bad, NOW)).toEqual({ ok: false, reason: 'check_digit' });
  });

  it('rejects dates that do not exist, lie in the future or before 1900', () => {
    expect(validateIdNumber(withCheck('53062119900230123'), NOW)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
    expect(validateIdNumber(withCheck('53062119901301123'), NOW)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
    expect(validateIdNumber(withCheck('53062120300101123'), NOW)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
    expect(validateIdNumber(withCheck('53062118991231123'), NOW)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
    expect(validateIdNumber(withCheck('53062120000229123'), NOW)).toMatchObject({ ok: true });
  });

  it('judges "today" in China time', () => {
    // 2025-06-15 20:00 UTC is already 2025-06-16 in Beijing.
    const lateUtc = new Date('2025-06-15T20:00:00Z');
    expect(validateIdNumber(withCheck('53062120250616123'), lateUtc)).toMatchObject({ ok: true });
    expect(validateIdNumber(withCheck('53062120250617123'), lateUtc)).toEqual({
      ok: false,
      reason: 'birth_date',
    });
  });

  it('names the old 15-digit number, wrong lengths, characters and regions', () => {
    expect(validateIdNumber('530621900101123', NOW)).toEqual({ ok: false, reason: 'legacy_15' });
    expect(validateIdNumber('', NOW)).toEqual({ ok: false, reason: 'empty' });
    expect(validateIdNumber('   ', NOW)).toEqual({ ok: false, reason: 'empty' });
    expect(validateIdNumber('5306211990010112', NOW)).toEqual({ ok: false, reason: 'length' });
    expect(validateIdNumber('5306211990O101123X', NOW)).toEqual({ ok: false, reason: 'characters' });
    expect(validateIdNumber('53062119900101X123', NOW)).toEqual({ ok: false, reason: 'characters' });
    expect(validateIdNumber(withCheck('99062119900101123'), NOW)).toEqual({ ok: false, reason: 'region' });
  });

  it('maps failures to locale keys', () => {
    expect(idNumberFailureKey('check_digit')).toBe('people:idNumber.invalid.check_digit');
  });
});

describe('normalizeMobile', () => {
  it('accepts the forms people type', () => {
    for (const raw of [
      '13812345678',
      '138 1234 5678',
      '138-1234-5678',
      '+86 138 1234 5678',
      '8613812345678',
      '0086-13812345678',
      '１３８１２３４５６７８',
    ]) {
      expect(normalizeMobile(raw)).toEqual({ ok: true, value: '13812345678' });
    }
  });

  it('explains what is wrong', () => {
    expect(normalizeMobile(' ')).toEqual({ ok: false, reason: 'empty' });
    expect(normalizeMobile('138abc45678')).toEqual({ ok: false, reason: 'characters' });
    expect(normalizeMobile('1381234567')).toEqual({ ok: false, reason: 'length' });
    expect(normalizeMobile('0870-2123456')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(normalizeMobile('0870-212345')).toEqual({ ok: false, reason: 'length' });
    expect(normalizeMobile('12812345678')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(normalizeMobile('08702123456')).toEqual({ ok: false, reason: 'not_mobile' });
    expect(mobileFailureKey('length')).toBe('people:phone.invalid.length');
  });
});

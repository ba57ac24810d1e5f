import assert from 'node:assert/strict';
import { parseQuantity, quantity } from '../../src/shared/quantity';

describe('resource quantities', () => {
  it('reads decimal and binary suffixes, fractions and exponents as kubectl does', () => {
    assert.equal(parseQuantity('100m'), 0.1);
    assert.equal(parseQuantity('2'), 2);
    assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
    assert.equal(parseQuantity('512Mi'), 512 * 2 ** 20);
    assert.equal(parseQuantity('2e3'), 2000);
    assert.equal(parseQuantity('1k'), 1000);
    assert.equal(parseQuantity('250n'), 250e-9);
    assert.equal(parseQuantity(3), 3);
  });

  it('keeps a missing or malformed quantity visibly missing, and counts it as 0 in sums', () => {
    for (const q of [undefined, '', 'lots', '5Xi', '1.2.3']) {
      assert.ok(Number.isNaN(parseQuantity(q)), String(q));
      assert.equal(quantity(q), 0);
    }
  });
});

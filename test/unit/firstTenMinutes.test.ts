// Pure pieces behind the first-ten-minutes fixes: how the search ranks a name, and the server's not-found page.
import assert from 'node:assert/strict';
import { nameScore } from '../../src/core/api/search';
import { notFoundPage } from '../../src/server/static';

describe('first ten minutes: search ranking and the not-found page', () => {
  it('ranks an exact name over a prefix over a word start over anywhere, and misses no substring', () => {
    assert.equal(nameScore('checkout', 'checkout'), 4);
    assert.equal(nameScore('checkout-7d9f-abcde', 'checkout'), 3);
    assert.equal(nameScore('shop-checkout', 'checkout'), 2);
    assert.equal(nameScore('shop.checkout', 'checkout'), 2);
    assert.equal(nameScore('precheckout', 'checkout'), 1);
    assert.equal(nameScore('cart', 'checkout'), 0);
    // A later word start counts even when an earlier match is mid-word.
    assert.equal(nameScore('webweb-web', 'web'), 3);
    assert.equal(nameScore('xwebx-web', 'web'), 2);
  });

  it('links home relative to the path, so it works under a proxy prefix too', () => {
    const href = (p: string) => /href="([^"]*)" data-testid="not-found-home"/.exec(notFoundPage(p))?.[1];
    assert.equal(href('/nope'), './');
    assert.equal(href('/this/does/not/exist'), '../../../');
    assert.equal(href('/a/b/'), '../../');
  });

  it('shows the asked path escaped', () => {
    const html = notFoundPage('/<script>alert(1)</script>');
    assert.ok(!html.includes('<script>alert'));
    assert.match(html, /&#60;script&#62;/);
  });
});

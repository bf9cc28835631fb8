import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from './external-links.ts';

describe('external link allow-list', () => {
  it('allows https links to listed hosts only', () => {
    expect(isAllowedExternalUrl('https://www.ecb.europa.eu/stats/policy_and_exchange_rates/')).toBe(true);
    for (const url of [
      'http://www.ecb.europa.eu/',
      'https://www.ecb.europa.eu.evil.example/',
      'https://evil.example/?https://www.ecb.europa.eu/',
      'https://user:pw@www.ecb.europa.eu/',
      'https://www.ecb.europa.eu:8443/',
      'file:///etc/passwd',
      'smb://www.ecb.europa.eu/share',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

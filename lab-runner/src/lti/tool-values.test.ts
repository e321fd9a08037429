import { describe, expect, it } from 'vitest';
import { describeToolValues, toolValues } from './tool-values.ts';

describe('toolValues', () => {
  it('puts every URL on the site origin', () => {
    const v = toolValues('https://course.example.org', { kty: 'RSA', n: 'x', e: 'AQAB', kid: 'k' });
    expect(v).toMatchObject({
      loginUrl: 'https://course.example.org/lti/login',
      redirectUrls: ['https://course.example.org/lti/launch'],
      jwksUrl: 'https://course.example.org/lti/jwks',
    });
    const text = describeToolValues(v);
    expect(text).toContain('Initiate login URL            https://course.example.org/lti/login');
    expect(text).toContain('"kid":"k"');
  });
});

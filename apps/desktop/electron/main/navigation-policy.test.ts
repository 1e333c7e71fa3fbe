import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-url';
import { decideNavigation, decideWindowOpen } from './navigation-policy';

const APP = 'http://127.0.0.1:4000/app/';

describe('isAppUrl', () => {
  it.each([
    ['http://127.0.0.1:4000/app/', true],
    ['http://127.0.0.1:4000/app', true],
    ['http://127.0.0.1:4000/app/clients/7?tab=holdings#top', true],
    ['http://127.0.0.1:4000/application', false],
    ['http://127.0.0.1:4000/trpc/auth.login', false],
    ['http://127.0.0.1:4001/app/', false],
    ['https://127.0.0.1:4000/app/', false],
    ['http://localhost:4000/app/', false],
    ['file:///app/index.html', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isAppUrl(url, APP)).toBe(expected);
  });
});

describe('decideNavigation', () => {
  it('allows moving within the desk', () => {
    expect(decideNavigation('http://127.0.0.1:4000/app/clients/1', APP)).toBe('allow');
  });

  it('sends https links to the system browser', () => {
    expect(decideNavigation('https://www.sec.gov/', APP)).toBe('open-external');
  });

  it.each([
    'http://evil.example/',
    'http://127.0.0.1:4000/admin',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://share/x',
    'https://user:pw@phish.example/',
  ])('refuses %s', (url) => {
    expect(decideNavigation(url, APP)).toBe('deny');
  });
});

describe('decideWindowOpen', () => {
  it('never opens a window: web links go to the system browser, the rest nowhere', () => {
    expect(decideWindowOpen('https://example.com/')).toBe('open-external');
    expect(decideWindowOpen('http://127.0.0.1:4000/app/')).toBe('deny');
    expect(decideWindowOpen('about:blank')).toBe('deny');
  });
});

import { describe, expect, it } from 'vitest';
import { offlinePage, offlinePageUrl, retryDelayMs } from './offline-page';

describe('offlinePage', () => {
  it('names the server and the reason, escaped', () => {
    const html = offlinePage('http://127.0.0.1:4000', 'ERR_CONNECTION_REFUSED <script>alert(1)</script>');
    expect(html).toContain('<code>http://127.0.0.1:4000</code>');
    expect(html).toContain('ERR_CONNECTION_REFUSED &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain('<script>');
  });

  it('forbids itself any script', () => {
    expect(offlinePage('http://x', 'r')).toContain("default-src 'none'; style-src 'unsafe-inline'");
  });

  it('is loadable as a data URL', () => {
    const url = offlinePageUrl('http://x', 'r');
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(offlinePage('http://x', 'r'));
  });
});

describe('retryDelayMs', () => {
  it('backs off from half a second to five', () => {
    expect([0, 1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });
});

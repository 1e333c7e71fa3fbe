import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { startupBanner } from './startup-banner';

describe('startupBanner', () => {
  it('names the demo logins and where their password is, never the password itself', () => {
    const banner = startupBanner('http://127.0.0.1:4000', loadConfig({}));
    expect(banner).toContain('Tickfolio server on http://127.0.0.1:4000/trpc');
    for (const login of Object.values(DEMO_LOGINS)) expect(banner).toContain(login);
    expect(banner).toContain('README.md');
    expect(banner).not.toContain(DEMO_PASSWORD);
  });

  it('says where the metrics are served, when they are', () => {
    const metricsUrl = 'http://127.0.0.1:43117/metrics';
    expect(startupBanner('http://127.0.0.1:4000', loadConfig({}), metricsUrl)).toContain(
      `Metrics on ${metricsUrl}`,
    );
    expect(startupBanner('http://127.0.0.1:4000', loadConfig({}))).not.toContain('Metrics on');
  });
});

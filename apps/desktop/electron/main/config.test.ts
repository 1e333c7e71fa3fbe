import { describe, expect, it } from 'vitest';
import { DesktopConfigError, parseDesktopConfig } from './config';

const none = { env: {}, settingsText: undefined, argv: [] };

describe('parseDesktopConfig', () => {
  it('defaults to the local server of `pnpm start` and loads its /app/', () => {
    expect(parseDesktopConfig(none)).toEqual({
      serverOrigin: 'http://127.0.0.1:4000',
      appUrl: 'http://127.0.0.1:4000/app/',
      devTools: false,
    });
  });

  it('takes the server from the settings file', () => {
    const config = parseDesktopConfig({ ...none, settingsText: '{"serverUrl":"https://desk.example"}' });
    expect(config.appUrl).toBe('https://desk.example/app/');
  });

  it('prefers the environment over the settings file', () => {
    const config = parseDesktopConfig({
      env: { TICKFOLIO_SERVER_URL: 'https://other.example:8443/' },
      settingsText: '{"serverUrl":"https://desk.example"}',
      argv: [],
    });
    expect(config.serverOrigin).toBe('https://other.example:8443');
  });

  it('turns on the developer tools only with --dev', () => {
    expect(parseDesktopConfig({ ...none, argv: ['electron', '.', '--dev'] }).devTools).toBe(true);
  });

  it.each([
    ['file:///etc/passwd'],
    ['javascript:alert(1)'],
    ['http://127.0.0.1:4000/some/path'],
    ['http://user:pw@127.0.0.1:4000'],
    ['http://127.0.0.1:4000/?x=1'],
    ['not a url'],
  ])('refuses %s as the server', (url) => {
    expect(() => parseDesktopConfig({ ...none, env: { TICKFOLIO_SERVER_URL: url } })).toThrow(
      /TICKFOLIO_SERVER_URL/,
    );
  });

  it('names a settings file that is not JSON or has a bad server', () => {
    expect(() => parseDesktopConfig({ ...none, settingsText: '{' })).toThrow(DesktopConfigError);
    expect(() => parseDesktopConfig({ ...none, settingsText: '{"serverUrl":"ftp://x"}' })).toThrow(
      /settings\.json: serverUrl/,
    );
  });
});

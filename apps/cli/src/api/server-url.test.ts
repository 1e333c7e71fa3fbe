import { describe, expect, it } from 'vitest';
import { CliError } from '../errors';
import { normalizeServerUrl } from './server-url';

describe('normalizeServerUrl', () => {
  it('takes the forms people type, including the API address the server prints, as one server', () => {
    for (const form of [
      'http://127.0.0.1:4000',
      'http://127.0.0.1:4000/',
      'http://127.0.0.1:4000/trpc',
      'http://127.0.0.1:4000/trpc/',
      '127.0.0.1:4000',
      'localhost:4000',
      'http://localhost:4000/trpc',
      ' HTTP://LOCALHOST:4000 ',
    ]) {
      expect(normalizeServerUrl(form), form).toBe('http://127.0.0.1:4000');
    }
    expect(normalizeServerUrl('https://tickfolio.example/base/trpc')).toBe('https://tickfolio.example/base');
  });

  it('refuses what is not an http(s) address, as a usage error', () => {
    for (const bad of ['ftp://example.com', 'http://', '::::']) {
      const error = (() => {
        try {
          normalizeServerUrl(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(2);
    }
  });
});

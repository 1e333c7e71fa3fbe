import { usageError } from '../errors';

/**
 * The one spelling of a server's address, so every form a person may type reaches the same server
 * and the same saved session: a scheme is added when missing (`127.0.0.1:4000`), the API path the
 * server's banner prints is dropped (`…/trpc`), `localhost` is the loopback address the server
 * listens on by default, and a trailing slash goes.
 */
export function normalizeServerUrl(text: string): string {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw usageError(`"${text}" is not a server address.`, 'Give it as e.g. --server http://127.0.0.1:4000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(
      `"${text}" is not an http(s) address.`,
      'Give it as e.g. --server http://127.0.0.1:4000',
    );
  }
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/trpc$/, '');
  return url.toString().replace(/\/+$/, '');
}

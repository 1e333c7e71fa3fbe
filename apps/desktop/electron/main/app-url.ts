/**
 * Whether a URL is the desk itself: the configured server's origin, under /app. The one test behind
 * navigation (the window may move only within the desk) and the bridge (only the desk may call it).
 */
export function isAppUrl(candidate: string, appUrl: string): boolean {
  const url = parse(candidate);
  const app = new URL(appUrl);
  if (url === undefined || url.origin !== app.origin) return false;
  const base = app.pathname.replace(/\/$/, '');
  return url.pathname === base || url.pathname.startsWith(`${base}/`);
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

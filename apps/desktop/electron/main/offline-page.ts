/**
 * What the window shows while the server cannot be reached at start-up (the desk itself is served by
 * the server, so there is nothing else to show): a plain page saying so, instead of Chromium's error
 * page or a blank window. It has no script; the main process keeps trying and loads the desk as soon as
 * the server answers. Once the desk is loaded, it reports lost connections itself.
 */
export function offlinePage(serverOrigin: string, reason: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Tickfolio Desk — server unreachable</title>
<style>
  :root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
  body { display: grid; place-items: center; min-height: 100vh; margin: 0; }
  main { max-width: 32rem; padding: 2rem; }
  code { font-size: 0.95em; }
  .reason { opacity: 0.7; }
</style>
</head>
<body>
<main role="alert">
  <h1>The Tickfolio server is not answering</h1>
  <p>The desk could not load from <code>${escapeHtml(serverOrigin)}</code>.</p>
  <p class="reason">${escapeHtml(reason)}</p>
  <p>Trying again every few seconds; the desk opens as soon as the server is back. To use another
  server, set <code>TICKFOLIO_SERVER_URL</code> or <code>serverUrl</code> in the settings file.</p>
</main>
</body>
</html>`;
}

/** The page as a URL the window can load without a server. */
export function offlinePageUrl(serverOrigin: string, reason: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(offlinePage(serverOrigin, reason))}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** How long to wait before the next try: quick at first, then every 5 s at most. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 500 * 2 ** Math.max(0, attempt));
}

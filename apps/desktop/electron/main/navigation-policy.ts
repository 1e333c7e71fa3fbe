import { isAppUrl } from './app-url';

export type NavigationDecision = 'allow' | 'open-external' | 'deny';

/**
 * What happens when the page tries to go somewhere (a link, `location = …`, `window.open`). The window
 * stays on the desk: moving within it is allowed, a web link (https only) opens in the advisor's own
 * browser, and anything else — other schemes, plain http elsewhere, file: — is refused.
 */
export function decideNavigation(target: string, appUrl: string): NavigationDecision {
  if (isAppUrl(target, appUrl)) return 'allow';
  return isExternalWebLink(target) ? 'open-external' : 'deny';
}

/** New windows are never opened; a web link asked for in one opens in the system browser instead. */
export function decideWindowOpen(target: string): 'open-external' | 'deny' {
  return isExternalWebLink(target) ? 'open-external' : 'deny';
}

function isExternalWebLink(target: string): boolean {
  try {
    const url = new URL(target);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

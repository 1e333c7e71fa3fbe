import { useSyncExternalStore } from 'react';

/**
 * Screens live in the location hash (`#/client/<id>`), so deep links work from `/app/` on the server
 * and from Electron's file:// page alike, with no server-side route table.
 */
export type Route = { name: 'book' } | { name: 'client'; clientId: string } | { name: 'prices' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'client' && parts[1]) return { name: 'client', clientId: decodeURIComponent(parts[1]) };
  if (parts[0] === 'prices') return { name: 'prices' };
  return { name: 'book' };
}

export function hrefOf(route: Route): string {
  if (route.name === 'client') return `#/client/${encodeURIComponent(route.clientId)}`;
  if (route.name === 'prices') return '#/prices';
  return '#/';
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

import { lazy, Suspense, startTransition, useEffect, useState } from 'react';
import { createApiClient } from './api/api-client';
import type { DeskSession } from './api/desk-session';
import { createLiveSocket } from './api/live-socket';
import { BookScreen } from './book/book-screen';
import { DeskContext, type Desk as DeskValue } from './desk-context';
import { createBookStore } from './live/book-store';
import { useConnectionFacts } from './live/use-connection';
import { NotificationCenter } from './notifications/notification-center';
import { QuoteBoard } from './prices/quote-board';
import { ConnectionBanner, ConnectionIndicator } from './ui/connection-indicator';
import { importInTurn } from './ui/import-in-turn';
import { hrefOf, navigate, useRoute } from './ui/route';
import { useNow } from './ui/use-now';

/**
 * A client's screen (with the chart library) is a chunk of its own, fetched when first opened: the
 * browser evaluates a bundle's script in one task, and the whole desk's took over 100 ms of CPU before
 * the sign-in form showed (issue #14, docs/BENCHMARKS.md). The chart library is loaded first, so that
 * its evaluation and the screen's are tasks of their own.
 */
const ClientScreen = lazy(() =>
  importInTurn([() => import('./client/chart-library')], () => import('./client/client-screen')).then(
    (m) => ({
      default: m.ClientScreen,
    }),
  ),
);

/** The signed-in desk: top bar, connection state, and the screen the location names. */
export function Desk(props: { session: DeskSession; onSignOut(): void }) {
  const { session } = props;
  const [facts, report] = useConnectionFacts();
  const [desk, setDesk] = useState<DeskValue | null>(null);
  const now = useNow();
  const route = useRoute();

  useEffect(() => {
    const api = createApiClient(session);
    const live = createLiveSocket(session, report);
    const book = createBookStore(session, report);
    // The signed-in desk's first render is a transition, rendered in slices that yield (issue #14).
    startTransition(() => setDesk({ session, api, live, book, me: undefined }));
    api.auth.me.query().then(
      (me) => me.kind === 'user' && setDesk((d) => d && { ...d, me }),
      () => undefined,
    );
    const offEnd = session.onEnd(() => report({ type: 'session-ended' }));
    return () => {
      offEnd();
      book.close();
      live.close();
    };
  }, [session, report]);

  // Esc goes back to the book from any other screen (a field that handles Esc itself stops it first).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && window.location.hash.length > 2) {
        navigate({ name: 'book' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!desk) return <main className="splash">Opening your book…</main>;
  return (
    <DeskContext.Provider value={desk}>
      <div className="desk">
        <header className="topbar">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true">
              ▲
            </span>{' '}
            Tickfolio
          </span>
          <nav className="tabs" aria-label="Screens">
            <a href={hrefOf({ name: 'book' })} aria-current={route.name !== 'prices' ? 'page' : undefined}>
              Book
            </a>
            <a href={hrefOf({ name: 'prices' })} aria-current={route.name === 'prices' ? 'page' : undefined}>
              Prices
            </a>
          </nav>
          <span className="spacer" />
          <ConnectionIndicator facts={facts} now={now} />
          <NotificationCenter />
          <span className="who" title={session.serverUrl}>
            {desk.me?.displayName ?? session.email}
          </span>
          <button type="button" className="quiet" onClick={props.onSignOut}>
            Sign out
          </button>
        </header>
        <ConnectionBanner facts={facts} now={now} />
        {route.name === 'client' ? (
          <Suspense fallback={<main className="splash">Opening the client…</main>}>
            <ClientScreen key={route.clientId} clientId={route.clientId} now={now} />
          </Suspense>
        ) : route.name === 'prices' ? (
          <QuoteBoard now={now} />
        ) : (
          <BookScreen now={now} />
        )}
      </div>
    </DeskContext.Provider>
  );
}

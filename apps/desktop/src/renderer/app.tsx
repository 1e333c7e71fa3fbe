import { lazy, Suspense, useEffect, useState } from 'react';
import { createDeskSession, type DeskSession, SessionEndedError } from './api/desk-session';
import { findStoredSession } from './api/token-store';
import { SignInScreen } from './signin/sign-in-screen';
import { importInTurn } from './ui/import-in-turn';

/**
 * The signed-in desk (the book, its table and virtualizer, the live socket, the quote board) is a chunk
 * of its own: the browser evaluates the first bundle's script in one task before anything shows, and
 * with the desk in it that task was over 50 ms (issue #14). It is fetched as soon as the first screen is
 * drawn (`preloadDesk`), so signing in does not wait for it; the book's table and virtualizer
 * libraries are loaded first (book/book-libraries.ts), so that they are evaluated in a task of their own.
 */
const loadDesk = () => importInTurn([() => import('./book/book-libraries')], () => import('./desk'));
const Desk = lazy(() => loadDesk().then((m) => ({ default: m.Desk })));

type Phase =
  | { name: 'restoring' }
  | { name: 'unreachable'; serverUrl: string }
  | { name: 'signed-out'; notice: string | null }
  | { name: 'signed-in'; session: DeskSession };

const RESUME_RETRY_MS = 3_000;

/**
 * Fetches the desk's chunk once the first screen is drawn and the page is idle. A failed fetch is left
 * alone: the lazy component asks again when the desk is shown.
 */
function preloadDesk(): void {
  const fetchDesk = () => void loadDesk().catch(() => undefined);
  if ('requestIdleCallback' in window) requestIdleCallback(fetchDesk, { timeout: 1_000 });
  else setTimeout(fetchDesk, 200);
}

/**
 * Sign-in or the desk. A remembered session is resumed silently (its refresh token spent for a new
 * pair); a server that cannot be reached is said so and retried, and an ended session sends the
 * advisor back to the sign-in form with the reason.
 */
export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'restoring' });

  useEffect(preloadDesk, []);

  useEffect(() => {
    if (phase.name !== 'restoring' && phase.name !== 'unreachable') return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      const found = await findStoredSession();
      if (!found) return setPhase({ name: 'signed-out', notice: null });
      const session = createDeskSession(found.session.serverUrl, found.store);
      try {
        await session.resume(found.session);
        if (!cancelled) setPhase({ name: 'signed-in', session });
      } catch (error) {
        if (cancelled) return;
        if (error instanceof SessionEndedError) setPhase({ name: 'signed-out', notice: error.message });
        else {
          setPhase({ name: 'unreachable', serverUrl: found.session.serverUrl });
          timer = setTimeout(() => setPhase({ name: 'restoring' }), RESUME_RETRY_MS);
        }
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [phase.name]);

  useEffect(() => {
    if (phase.name !== 'signed-in') return;
    return phase.session.onEnd(() =>
      setPhase({ name: 'signed-out', notice: 'Your session has ended. Sign in again to resume.' }),
    );
  }, [phase]);

  switch (phase.name) {
    case 'restoring':
      return <main className="splash">Resuming your session…</main>;
    case 'unreachable':
      return (
        <main className="splash" role="alert">
          <p>
            Cannot reach the server at <strong>{phase.serverUrl}</strong>. Retrying every few seconds…
          </p>
          <button
            type="button"
            onClick={() => {
              for (const s of [localStorage, sessionStorage]) s.removeItem('tickfolio.desk.session');
              void window.tickfolio?.session.save(null);
              setPhase({ name: 'signed-out', notice: null });
            }}
          >
            Sign in to another server
          </button>
        </main>
      );
    case 'signed-out':
      return (
        <SignInScreen
          notice={phase.notice}
          onSignedIn={(session) => setPhase({ name: 'signed-in', session })}
        />
      );
    case 'signed-in':
      return (
        <Suspense fallback={<main className="splash">Opening your book…</main>}>
          <Desk session={phase.session} onSignOut={() => void phase.session.logout()} />
        </Suspense>
      );
  }
}

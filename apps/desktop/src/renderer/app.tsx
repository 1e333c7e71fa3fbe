import { useEffect, useState } from 'react';
import { createDeskSession, type DeskSession, SessionEndedError } from './api/desk-session';
import { findStoredSession } from './api/token-store';
import { Desk } from './desk';
import { SignInScreen } from './signin/sign-in-screen';

type Phase =
  | { name: 'restoring' }
  | { name: 'unreachable'; serverUrl: string }
  | { name: 'signed-out'; notice: string | null }
  | { name: 'signed-in'; session: DeskSession };

const RESUME_RETRY_MS = 3_000;

/**
 * Sign-in or the desk. A remembered session is resumed silently (its refresh token spent for a new
 * pair); a server that cannot be reached is said so and retried, and an ended session sends the
 * advisor back to the sign-in form with the reason.
 */
export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'restoring' });

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
      return <Desk session={phase.session} onSignOut={() => void phase.session.logout()} />;
  }
}

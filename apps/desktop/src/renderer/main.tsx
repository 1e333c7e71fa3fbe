import { StrictMode, startTransition } from 'react';
import './styles.css';

/**
 * React's DOM runtime, then the app (the sign-in form, the session, the API client), each loaded by an
 * import() of its own and so evaluated in a task of its own: in one bundle their evaluation was the
 * page's first long task (issue #14). The first render is a transition, which React renders in slices
 * that yield to the browser.
 */
async function start(root: HTMLElement): Promise<void> {
  const { createRoot } = await import('react-dom/client');
  const { App } = await import('./app');
  startTransition(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
}

const root = document.getElementById('root')!;
start(root).catch((failure: unknown) => {
  root.textContent = `The desk could not load (${String(failure)}). Reload the page to try again.`;
});

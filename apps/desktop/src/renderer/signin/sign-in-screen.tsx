import { TRPCClientError } from '@trpc/client';
import { type FormEvent, useState } from 'react';
import { createDeskSession, type DeskSession } from '../api/desk-session';
import { tokenStoreFor } from '../api/token-store';
import { FormError, TextField } from '../ui/field';

/** The server that served the page; Electron's file:// page has none, so the usual local address. */
export function defaultServerUrl(): string {
  const { protocol, origin } = window.location;
  return protocol === 'http:' || protocol === 'https:' ? origin : 'http://127.0.0.1:4000';
}

/** A server address as typed ("localhost:4000/", "https://desk.example/") as an origin to call. */
export function normalizeServerUrl(text: string): string {
  const trimmed = text.trim().replace(/\/+$/, '');
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  return new URL(withScheme).origin;
}

function explain(error: unknown, serverUrl: string): string {
  if (error instanceof TRPCClientError) {
    const code = error.data?.code;
    if (code === 'UNAUTHORIZED') return 'Wrong email or password.';
    if (code === 'TOO_MANY_REQUESTS') return 'Too many attempts. Wait a while, then try again.';
    if (code === 'BAD_REQUEST') return 'Check the email address and password.';
    if (code === undefined) return `Cannot reach a Tickfolio server at ${serverUrl}.`;
    return error.message;
  }
  if (error instanceof TypeError) return 'That server address is not valid.';
  return (error as Error).message;
}

export function SignInScreen(props: { notice: string | null; onSignedIn(session: DeskSession): void }) {
  const [server, setServer] = useState(defaultServerUrl);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    let url = server;
    try {
      url = normalizeServerUrl(server);
      const session = createDeskSession(url, tokenStoreFor(remember));
      await session.login(email.trim(), password);
      props.onSignedIn(session);
    } catch (failure) {
      setError(explain(failure, url));
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form
        className="signin-card"
        data-testid="signin-form"
        onSubmit={submit}
        aria-labelledby="signin-title"
      >
        <h1 id="signin-title">
          <span className="brand-mark" aria-hidden="true">
            ▲
          </span>{' '}
          Tickfolio <span className="muted">Advisor desk</span>
        </h1>
        {props.notice && (
          <p className="notice" role="status">
            {props.notice}
          </p>
        )}
        <TextField
          label="Server"
          name="server"
          value={server}
          onChange={setServer}
          autoComplete="url"
          required
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
          required
          // The sign-in form has one job: the cursor starts there.
          autoFocus
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
        />
        {!window.tickfolio && (
          <label className="check">
            <input
              name="remember"
              type="checkbox"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />
            Keep me signed in on this computer
          </label>
        )}
        <FormError message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

import { useRef, useState } from 'preact/hooks';
import { type Session, SignInRefused, signIn } from './session.ts';

type Props = { notice: string | undefined; onSignedIn(session: Session): void };

/** Sign in with a user name and password (the OAuth password grant, through the gateway). */
export function LoginPage({ notice, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const message = useRef<HTMLDivElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (error) {
      setFailure(error instanceof SignInRefused ? error.message : 'Signing in failed.');
      requestAnimationFrame(() => message.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login">
      <h1 tabIndex={-1}>Sign in to 12street</h1>
      <form class="card" onSubmit={submit} aria-labelledby="login-title">
        <h2 id="login-title" class="visually-hidden">
          Sign in
        </h2>
        <div ref={message} tabIndex={-1}>
          {notice && !failure ? (
            <div class="message message-info" role="status">
              <p>{notice}</p>
            </div>
          ) : null}
          {failure ? (
            <div class="message message-error" role="alert">
              <p class="message-title">{failure}</p>
            </div>
          ) : null}
        </div>
        <div class="field">
          <label for="username">User name</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <aside class="card demo" aria-labelledby="demo-title">
        <h2 id="demo-title">Demo accounts (embedded mode)</h2>
        <p>
          Customers <code>kim</code> and <code>lee</code>, and <code>ops</code> for the saga console. The password is
          the user name followed by <code>-demo-password</code>, e.g. <code>kim-demo-password</code>.
        </p>
      </aside>
    </div>
  );
}

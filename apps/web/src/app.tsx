import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { apiClient } from './api/http.ts';
import { Console } from './console/Console.tsx';
import { SagaView } from './console/SagaView.tsx';
import { AppContext } from './context.ts';
import { LoginPage } from './LoginPage.tsx';
import { followLink, match, navigate, usePath } from './router.ts';
import { clearSession, isOps, loadSession, type Session, saveSession } from './session.ts';
import { OrderDetail } from './shop/OrderDetail.tsx';
import { Storefront } from './shop/Storefront.tsx';

const homeOf = (session: Session) => (isOps(session) ? '/console' : '/shop');

function Page({ path, session }: { path: string; session: Session }) {
  const shopOrder = match('/shop/orders/:id', path);
  const consoleOrder = match('/console/orders/:id', path);
  if (match('/shop', path)) return <Storefront />;
  if (shopOrder) return <OrderDetail orderId={Number(shopOrder.id)} />;
  if (isOps(session) && match('/console', path)) return <Console />;
  if (isOps(session) && consoleOrder) return <SagaView orderId={Number(consoleOrder.id)} />;
  return (
    <>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>.{' '}
        <a href={homeOf(session)} onClick={followLink}>
          Go to the start page
        </a>
        .
      </p>
    </>
  );
}

function NavLink({ href, path, children }: { href: string; path: string; children: string }) {
  const current = path === href || path.startsWith(`${href}/`);
  return (
    <a href={href} onClick={followLink} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

/** Signed out: the sign-in page. Signed in: the shop for customers, the saga console for ops. */
export function App() {
  const [session, setSession] = useState(loadSession);
  const [notice, setNotice] = useState<string>();
  const path = usePath();
  const main = useRef<HTMLElement>(null);
  const firstPage = useRef(true);

  const signOut = (why?: string) => {
    clearSession();
    setSession(undefined);
    setNotice(why);
    navigate('/login', { replace: true });
  };
  const context = useMemo(
    () =>
      session && {
        session,
        api: apiClient(session.token, () => signOut('Your session has expired. Please sign in again.')),
        expired: () => signOut('Your session has expired. Please sign in again.'),
      },
    [session],
  );

  useEffect(() => {
    if (!session && path !== '/login') navigate('/login', { replace: true });
    if (session && (path === '/' || path === '/login')) navigate(homeOf(session), { replace: true });
  }, [session, path]);

  // A new page is announced by moving focus to its heading, as a page load would.
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  const signedIn = (next: Session) => {
    saveSession(next);
    setNotice(undefined);
    setSession(next);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/" onClick={followLink}>
          12street
        </a>
        {session ? (
          <nav aria-label="Main">
            <NavLink href="/shop" path={path}>
              Shop
            </NavLink>
            {isOps(session) ? (
              <NavLink href="/console" path={path}>
                Saga console
              </NavLink>
            ) : null}
            <span class="who">
              Signed in as <strong>{session.username}</strong>
            </span>
            <button type="button" class="button button-quiet" onClick={() => signOut('You have signed out.')}>
              Sign out
            </button>
          </nav>
        ) : null}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {!session || !context ? (
          <LoginPage notice={notice} onSignedIn={signedIn} />
        ) : (
          <AppContext.Provider value={context}>
            <Page path={path} session={session} />
          </AppContext.Provider>
        )}
      </main>
    </>
  );
}

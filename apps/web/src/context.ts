import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api/http.ts';
import type { Session } from './session.ts';

export type AppContextValue = {
  session: Session;
  api: Api;
  /** The token was refused: back to the sign-in page, saying why. */
  expired(): void;
};

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp() outside a signed-in page');
  return app;
}

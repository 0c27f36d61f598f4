import { Agent, type Dispatcher } from 'undici';
import type { InstancePool } from './instancePool.ts';

type Log = { warn(details: object, message: string): void };

/** Failures that happen before a connection exists: the instance cannot have seen the request. */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

type Headers = Dispatcher.DispatchOptions['headers'];

const isPlainHeaders = (headers: Headers): headers is Record<string, string | string[] | undefined> =>
  typeof headers === 'object' && headers !== null && !Array.isArray(headers) && !(Symbol.iterator in headers);

/** The Host header names the instance the request now goes to. */
const hostFor = (headers: Headers, origin: string): Headers =>
  isPlainHeaders(headers) && headers.host !== undefined ? { ...headers, host: new URL(origin).host } : headers;

/**
 * The undici dispatcher the proxy sends a pooled service's requests through. A request whose
 * instance could not even be connected to goes on to another instance, and only such a request:
 * once a request was handed to a socket it may have been processed, so a failure after that is
 * the client's to see, never a second order.
 */
export function reroutingDispatcher(pool: InstancePool, connectTimeoutMs: number, log: Log): Dispatcher {
  const reroute: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
    const tried = new Set<string>();
    const attempt = (origin: string, headers: Headers): boolean => {
      tried.add(origin);
      // undici calls onRequestStart once the request is about to be written to a connected socket.
      let handedToSocket = false;
      return dispatch(
        { ...options, origin, headers },
        {
          onRequestStart(controller, context) {
            handedToSocket = true;
            handler.onRequestStart?.(controller, context);
          },
          onRequestUpgrade: (...args) => handler.onRequestUpgrade?.(...args),
          onResponseStart: (...args) => handler.onResponseStart?.(...args),
          onResponseData: (...args) => handler.onResponseData?.(...args),
          onResponseEnd: (...args) => handler.onResponseEnd?.(...args),
          onResponseError(controller, error) {
            const code = (error as { code?: string }).code;
            if (!handedToSocket && code !== undefined && NEVER_CONNECTED.has(code)) {
              pool.unreachable(origin);
              const next = pool.nextUntried(tried);
              if (next !== undefined) {
                log.warn({ upstream: pool.service, instance: origin, code, next }, 'instance unreachable; rerouted');
                attempt(next, hostFor(headers, next));
                return;
              }
            }
            handler.onResponseError?.(controller, error);
          },
        },
      );
    };
    return attempt(new URL(String(options.origin)).origin, options.headers);
  };
  return new Agent({ connect: { timeout: connectTimeoutMs }, connections: 128 }).compose(reroute);
}

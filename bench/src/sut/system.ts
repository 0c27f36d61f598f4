import type { Watched } from '../support/procStats.ts';
import type { TokenSource } from '../support/tokens.ts';

/** Rate limits of the system under test, raised so the gateway never refuses the benchmark's load. */
export const UNLIMITED = {
  RATE_LIMIT_PER_IDENTITY: '1000000000',
  RATE_LIMIT_PER_IP: '1000000000',
  RATE_LIMIT_TOKEN_PER_IP: '1000000000',
};

/** The system being measured, whichever way it runs. */
export type SystemUnderTest = {
  mode: 'embedded' | 'cluster';
  gatewayUrl: string;
  /** Where the baseline gateway checks tokens: the same identity service. */
  identityUrl: string;
  tokens: TokenSource;
  /** The processes to watch for memory and CPU: the services, then supporting infrastructure. */
  watched(): Watched[];
  /** Restarts every service process in turn, timing each from spawn to ready (ms). */
  timeStartups(): Promise<Record<string, number>>;
  /** Restarts the services with --cpu-prof into dir; finish() stops them (for good) and returns the profiles. */
  profile(dir: string): Promise<{ finish(): Promise<string[]> }>;
  /** Where the services' logs are, to look into a surprising figure. */
  logDir: string;
};

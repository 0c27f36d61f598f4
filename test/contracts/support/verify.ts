import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MessageProviders, Verifier, type VerifierOptions } from '@pact-foundation/pact';
import { PACTS_DIR } from './pactFiles.ts';

type StateHandlers = NonNullable<VerifierOptions['stateHandlers']>;
type PactJson = {
  consumer: { name: string };
  provider: { name: string };
  interactions: { description: string; type: string; providerStates?: { name: string }[] }[];
};

export type Verification = {
  provider: string;
  /** File names under pacts/; by default every pact naming this provider. */
  pacts?: string[];
  /** Where the provider's HTTP API listens; only for pacts with HTTP interactions. */
  providerBaseUrl?: string;
  stateHandlers?: StateHandlers;
  messageProviders?: MessageProviders;
};

/** Every pact file in pacts/, read. */
export function pactsInRepository(): { file: string; pact: PactJson }[] {
  return readdirSync(PACTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: name, pact: JSON.parse(readFileSync(join(PACTS_DIR, name), 'utf8')) as PactJson }));
}

/**
 * Replays the pacts against the real provider: by default every pact in pacts/ naming it, so a new
 * consumer's pact is verified without touching the provider's test. Pact itself only warns about a
 * provider state it has no handler for (and swallows a handler's error); here a missing state or
 * message fails before anything runs, so nothing is verified against a state nobody set up.
 */
export async function verifyPacts(v: Verification): Promise<void> {
  const pacts = pactsInRepository().filter(({ file, pact }) =>
    v.pacts ? v.pacts.includes(file) : pact.provider.name === v.provider,
  );
  if (pacts.length === 0) throw new Error(`no pact to verify for ${v.provider}`);
  const missing = pacts.flatMap(({ pact }) =>
    pact.interactions.flatMap((i) => [
      ...(i.providerStates ?? []).filter((s) => !v.stateHandlers?.[s.name]).map((s) => `state "${s.name}"`),
      ...(i.type === 'Asynchronous/Messages' && !v.messageProviders?.[i.description]
        ? [`message "${i.description}"`]
        : []),
    ]),
  );
  if (missing.length > 0) throw new Error(`${v.provider} cannot produce: ${[...new Set(missing)].join(', ')}`);

  await new Verifier({
    provider: v.provider,
    pactUrls: pacts.map(({ file }) => join(PACTS_DIR, file)),
    logLevel: 'error',
    ...(v.providerBaseUrl ? { providerBaseUrl: v.providerBaseUrl } : {}),
    ...(v.stateHandlers ? { stateHandlers: v.stateHandlers } : {}),
    ...(v.messageProviders ? { messageProviders: v.messageProviders } : {}),
  }).verifyProvider();
}

import { DEFAULT_PORTS } from '@12street/contracts';
import { runService } from '@12street/runtime';
import Type from 'typebox';
import { createMarketingService } from './compose.ts';

// Distributed mode: marketing as its own process, on its own database (DATABASE_URL) and Kafka.
await runService({
  name: 'marketing',
  defaultPort: DEFAULT_PORTS.marketing,
  config: Type.Object({}),
  build: (deps) => createMarketingService(deps),
});

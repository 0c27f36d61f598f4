import { DEFAULT_PORTS } from '@12street/contracts';
import { runService } from '@12street/runtime';
import Type from 'typebox';
import { createPaymentService } from './compose.ts';

// Distributed mode: payment as its own process, on MariaDB/MySQL (DATABASE_URL) and Kafka.
await runService({
  name: 'payment',
  defaultPort: DEFAULT_PORTS.payment,
  config: Type.Object({}),
  build: (deps) => createPaymentService(deps),
});

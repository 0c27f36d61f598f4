import { ownKafkaBroker } from '@12street/testkit';
import type { CleanupScope } from '../../bench/src/support/scope.ts';

/** A Kafka broker of the run's own, restarted without blocking the customers and the payment proxy. */
export const restartableBroker = (scope: CleanupScope) => ownKafkaBroker(scope);

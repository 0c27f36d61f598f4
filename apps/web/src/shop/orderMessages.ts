import { ApiError } from '../api/http.ts';

export type FieldName = 'productId' | 'qty' | 'address' | 'phoneNo';

const FIELD_HINTS: Record<FieldName, string> = {
  productId: 'Choose a product from the catalogue.',
  qty: 'Quantity must be a whole number from 1 to 10,000.',
  address: 'Enter the delivery address (up to 500 characters).',
  phoneNo: 'Enter a phone number using digits, spaces, +, ( ) and - only (up to 30 characters).',
};

/** Which form field a validation error is about: `body/qty`, or "must have required property 'qty'". */
function fieldOf(error: { path: string; message: string }): FieldName | undefined {
  const named = /\/(\w+)$/.exec(error.path)?.[1] ?? /property '(\w+)'/.exec(error.message)?.[1];
  if (named === 'productName' || named === 'productPrice') return 'productId';
  return named && named in FIELD_HINTS ? (named as FieldName) : undefined;
}

/** A 400 problem's errors, one plain message per form field. */
export function fieldErrors(error: unknown): Partial<Record<FieldName, string>> {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  const fields: Partial<Record<FieldName, string>> = {};
  for (const e of error.problem.errors ?? []) {
    const field = fieldOf(e);
    if (field) fields[field] = FIELD_HINTS[field];
  }
  return fields;
}

export type Explained = { title: string; detail: string };

const REASONS: Record<string, string> = {
  'circuit-open':
    'The circuit breaker is open: after repeated failures the shop stops calling the payment service for a few seconds.',
  timeout: 'The payment service did not answer in time.',
  failed: 'The payment service failed to answer.',
};

/** What a refused order means for the customer, from the problem the API answered. */
export function explainOrderFailure(error: unknown): Explained {
  if (!(error instanceof ApiError)) return { title: 'The order could not be sent', detail: String(error) };
  const { problem, retryAfter } = error;
  const later = retryAfter ? ` Try again in ${retryAfter} seconds.` : ' Try again shortly.';
  switch (problem.status) {
    case 400:
      return {
        title: 'Please check the order',
        detail: 'Some details are missing or not valid; see the fields marked below.',
      };
    case 409:
      return {
        title: 'Payment refused',
        detail: `${problem.detail ?? 'The payment was refused.'} No order was placed.`,
      };
    case 429:
      return { title: 'Too many requests', detail: `You are sending orders too quickly.${later}` };
    case 503:
      if (problem.title === 'Payment unavailable') {
        const why = REASONS[problem.reason ?? ''] ?? problem.detail ?? '';
        return {
          title: `Payment is unavailable${problem.reason === 'circuit-open' ? ' (circuit open)' : ''}`,
          detail: `${why} Your order was not placed and nothing was charged.${later}`,
        };
      }
      return { title: 'The shop is unavailable', detail: `${problem.detail ?? 'A service is down.'}${later}` };
    default:
      return { title: problem.title, detail: problem.detail ?? `The API answered ${problem.status}.` };
  }
}

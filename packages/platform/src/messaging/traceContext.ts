// W3C Trace Context, only as far as passing it on: version-traceId-parentId-flags, lower-case hex.
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ZEROS = /^0+$/;

/** The traceparent in a header value, or undefined when there is none or it is malformed. */
export function traceparentOf(value: unknown): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return undefined;
  const candidate = text.trim().toLowerCase();
  if (!TRACEPARENT.test(candidate) || candidate.startsWith('ff')) return undefined;
  const [, traceId = '', parentId = ''] = candidate.split('-');
  return ZEROS.test(traceId) || ZEROS.test(parentId) ? undefined : candidate;
}

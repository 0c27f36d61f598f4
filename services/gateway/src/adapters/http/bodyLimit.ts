import { Readable } from 'node:stream';
import { HttpProblem } from '@12street/platform';
import type { FastifyRequest } from 'fastify';

/**
 * The services behind the gateway refuse large bodies too, but the gateway passes bodies through
 * as streams, unread; so it counts them itself and refuses a large one before it travels on.
 */
export function bodyLimit(limitBytes: number) {
  const tooLarge = () =>
    new HttpProblem(413, 'Payload Too Large', `a request body may have at most ${limitBytes} bytes`);
  return async (request: FastifyRequest, _reply: unknown, payload: Readable) => {
    if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw tooLarge();
    // With a Content-Length, Node reads exactly that many bytes; a chunked body is counted as it comes.
    if (request.headers['transfer-encoding'] === undefined) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > limitBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    return Object.assign(Readable.from([Buffer.concat(chunks)]), { receivedEncodedLength: size });
  };
}

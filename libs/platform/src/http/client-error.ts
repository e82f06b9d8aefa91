import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './error-body';

/** How long a refused client may go on sending before its connection is cut. */
export const CLIENT_ERROR_DRAIN_MS = 5_000;

const REFUSALS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request line and headers may take at most 16 KiB' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
};
const MALFORMED = { status: 400, message: 'Malformed HTTP request' };

/**
 * The answer to a request Node's parser refused before any route saw it: a head over 16 KiB (431), a
 * request that took too long to arrive (408), anything malformed (400).
 *
 * Node's own answer, and Fastify's, write the response and destroy the socket at once. The bytes the
 * client is still sending (the rest of a 40-KiB URL, a body) then reach a closed socket, the kernel
 * resets the connection, and the client often loses the answer it was sent: "fetch failed" for 10 of
 * 1,500 requests with heads of 12–39 KiB through the gateway. Here the answer ends the writing side
 * only; what the client still sends is read and dropped until it closes, or for CLIENT_ERROR_DRAIN_MS.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, message } = (error.code && REFUSALS[error.code]) || MALFORMED;
  const body = JSON.stringify(errorBody(status, message, undefined));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.resume();
  const cut = setTimeout(() => socket.destroy(), CLIENT_ERROR_DRAIN_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}

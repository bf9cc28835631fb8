import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How the receiver answers a request: a status (with headers), 'drop' to cut the connection, or 'hold' until the test ends it. */
export type ReceiverAnswer = number | { readonly status: number; readonly headers: OutgoingHttpHeaders } | 'drop' | 'hold';

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: it records every request and answers from
 * its script, then by `answer` (200 unless the test says otherwise).
 */
export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  readonly script: ReceiverAnswer[] = [];
  readonly held: ServerResponse[] = [];
  readonly server: Server;

  constructor(answer: (url: string) => ReceiverAnswer = () => 200) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = request.url ?? '';
        this.received.push({ url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = this.script.shift() ?? answer(url);
        if (next === 'drop') request.socket.destroy();
        else if (next === 'hold') this.held.push(response);
        else if (typeof next === 'number') response.writeHead(next).end();
        else response.writeHead(next.status, next.headers).end();
      });
    });
  }

  /** Listens on a free port of 127.0.0.1 and gives it. */
  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const response of this.held) response.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

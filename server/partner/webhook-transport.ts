import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedWebhookTarget } from './webhook-target.ts';

/**
 * One webhook POST over node:http(s), connected to the address the target check pinned
 * (pinWebhookTarget) instead of resolving the name again: the socket's lookup answers with that
 * address, while the URL's name still goes in the Host header and, for https, in SNI and the
 * certificate check. No connection pool (each delivery dials its own pinned address), redirects
 * are not followed (a 3xx is an answer like any other), and the body of the answer is discarded.
 */
export class WebhookTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

export interface WebhookPost {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** A lookup that answers every name with the pinned address, in the shape the caller asked for (one, or all when Node tries families in turn). */
function pinnedLookup(target: PinnedWebhookTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all === true) (callback as unknown as (error: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

/** Posts `post.body` to the pinned target; resolves with the answer's status code. */
export function postToPinnedTarget(target: PinnedWebhookTarget, post: WebhookPost): Promise<number> {
  const body = Buffer.from(post.body, 'utf8');
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: target.url.protocol,
        hostname: target.url.hostname.replace(/^\[|\]$/g, ''),
        port: target.url.port === '' ? undefined : Number(target.url.port),
        path: `${target.url.pathname}${target.url.search}`,
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(body.length) },
        lookup: pinnedLookup(target),
        agent: false,
      },
      (answer: IncomingMessage) => {
        answer.resume();
        resolve(answer.statusCode ?? 0);
      },
    );
    const timer = setTimeout(() => outgoing.destroy(new WebhookTimeoutError(post.timeoutMs)), post.timeoutMs);
    outgoing.on('close', () => clearTimeout(timer));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

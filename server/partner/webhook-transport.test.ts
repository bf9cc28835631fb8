import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinWebhookTarget, WebhookTargetError, type WebhookTargetPolicy } from './webhook-target.ts';
import { WebhookReceiver } from './webhook-receiver.test-support.ts';
import { postToPinnedTarget } from './webhook-transport.ts';

/**
 * DNS rebinding: a delivery resolves the webhook's name once, checks that address and connects to
 * it. A real receiver on 127.0.0.1 stands behind `hooks.example.test`, a name only the injected
 * resolver knows (the system's would fail), so a request that arrives proves the connection used
 * the checked address; the resolver's answers are counted.
 */
describe('webhook deliveries connect to the address they checked', () => {
  const receiver = new WebhookReceiver((url) => (url === '/moved' ? { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } } : 204));
  const received = receiver.received;
  let port = 0;

  beforeAll(async () => {
    port = await receiver.start();
  });

  afterAll(async () => {
    await receiver.stop();
  });

  /** A resolver that answers `hooks.example.test` from a script, one answer per question, and counts the questions. */
  function scriptedResolver(answers: ReadonlyArray<readonly string[]>): { asked: () => number; resolve: NonNullable<WebhookTargetPolicy['resolve']> } {
    let count = 0;
    return {
      asked: () => count,
      resolve: async (hostname) => {
        if (hostname !== 'hooks.example.test') throw new Error(`ENOTFOUND ${hostname}`);
        const answer = answers[Math.min(count, answers.length - 1)] ?? [];
        count += 1;
        return answer;
      },
    };
  }

  it('with private targets allowed, reaches the receiver at the address the name resolved to once, with the name as Host', async () => {
    // The first answer is the receiver; any later one points nowhere (an unused TEST-NET address).
    const resolver = scriptedResolver([['127.0.0.1'], ['192.0.2.1']]);
    const target = await pinWebhookTarget(`http://hooks.example.test:${port}/hook?x=1`, { allowPrivate: true, resolve: resolver.resolve });
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });
    const status = await postToPinnedTarget(target, { headers: { 'content-type': 'application/json', 'settledesk-signature': 't=1,v1=00' }, body: '{"id":"evt_1"}', timeoutMs: 5_000 });
    expect(status).toBe(204);
    expect(resolver.asked()).toBe(1);
    const [delivery] = received.splice(0);
    expect(delivery?.headers.host).toBe(`hooks.example.test:${port}`);
    expect(delivery?.headers['content-length']).toBe('14');
    expect(delivery?.headers['settledesk-signature']).toBe('t=1,v1=00');
    expect(delivery?.body).toBe('{"id":"evt_1"}');
  });

  it('with private targets refused, the same name is refused before any connection, whichever address it gives first', async () => {
    const loopback = scriptedResolver([['127.0.0.1']]);
    await expect(pinWebhookTarget(`http://hooks.example.test:${port}/hook`, { allowPrivate: false, resolve: loopback.resolve })).rejects.toMatchObject({ name: 'WebhookTargetError', reason: 'private_address', message: 'hooks.example.test resolves to 127.0.0.1, a private, loopback or reserved address' });
    // A public address first and a private one beside it: one private address refuses the name.
    const mixed = scriptedResolver([['93.184.215.14', '10.0.0.7']]);
    const refused = await pinWebhookTarget(`http://hooks.example.test:${port}/hook`, { allowPrivate: false, resolve: mixed.resolve }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WebhookTargetError);
    expect((refused as WebhookTargetError).message).toContain('10.0.0.7');
    expect(received).toEqual([]);
  });

  it('a name that answers a public address to the check is pinned to it; its later answer (rebinding to 127.0.0.1) is never asked for', async () => {
    const rebinding = scriptedResolver([['93.184.215.14'], ['127.0.0.1']]);
    const target = await pinWebhookTarget(`http://hooks.example.test:${port}/hook`, { allowPrivate: false, resolve: rebinding.resolve });
    // The post dials target.address only (the first test shows the resolver is not asked again);
    // it is not sent here, as the public address may be a real host.
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).toBe('hooks.example.test');
    expect(rebinding.asked()).toBe(1);
  });

  it('an address written in the URL is the pinned one; a redirect is an answer, not followed', async () => {
    const target = await pinWebhookTarget(`http://127.0.0.1:${port}/moved`, { allowPrivate: true });
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });
    expect(await postToPinnedTarget(target, { headers: {}, body: '{}', timeoutMs: 5_000 })).toBe(302);
    expect(received.splice(0).length).toBe(1);
  });
});

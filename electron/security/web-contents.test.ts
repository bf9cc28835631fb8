import { describe, expect, it } from 'vitest';
import { FakeWebContents } from '../../tests/support/fake-electron.ts';
import { guardWebContents, type GuardedWebContents } from './web-contents.ts';

function guarded(): { contents: FakeWebContents; opened: string[] } {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  // The fake's on() has one loose signature where Electron's has one overload per event.
  guardWebContents(contents as unknown as GuardedWebContents, (url) => opened.push(url));
  return { contents, opened };
}

describe('web contents guard', () => {
  it('prevents navigation away from the desk and opens only allow-listed https links outside', () => {
    const { contents, opened } = guarded();
    expect(contents.navigate('https://evil.example/phish')).toBe(true);
    expect(contents.navigate('file:///etc/passwd')).toBe(true);
    expect(contents.navigate('https://www.ecb.europa.eu/stats/')).toBe(true);
    expect(contents.navigate('app://settledesk/index.html')).toBe(false);
    expect(contents.frameNavigate('https://evil.example/')).toBe(true);
    expect(contents.redirect('https://evil.example/')).toBe(true);
    expect(contents.attachWebview()).toBe(true);
    expect(opened).toEqual(['https://www.ecb.europa.eu/stats/']);
  });

  it('denies every new window, handing only allow-listed links to the OS browser', () => {
    const { contents, opened } = guarded();
    expect(contents.openWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(contents.openWindow('app://settledesk/index.html')).toEqual({ action: 'deny' });
    expect(contents.openWindow('https://www.ecb.europa.eu/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://www.ecb.europa.eu/']);
  });
});

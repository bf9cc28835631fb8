import { describe, expect, it } from 'vitest';
import { SIGNING_NOT_IN_BROWSER } from './host.ts';
import { SigningUnavailableError, webHost } from './host.web.ts';

describe('the browser host and statement signing', () => {
  it('rejects every signing call with a typed error that points at the desktop app and the CLI', async () => {
    const calls = [webHost.signingStatus(), webHost.importSigningCertificate('a passphrase'), webHost.exportSignedStatement({ documentJson: '{}', locale: 'en' })];
    for (const call of calls) {
      const error = await call.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(SigningUnavailableError);
      expect(error).toMatchObject({ code: SIGNING_NOT_IN_BROWSER });
      // Code first, as the desktop host's IPC rejections are, so one check serves both hosts.
      expect((error as Error).message).toMatch(/^signing_not_available_in_browser: /);
      expect((error as Error).message).toContain('desktop app');
      expect((error as Error).message).toContain('settledesk settle --pdf');
      expect((error as Error).message).not.toContain('a passphrase');
    }
  });
});

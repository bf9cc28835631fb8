import { openDemoWorkspace, openWorkstation, type OpenWorkstation } from './workstation.ts';

/**
 * The set-up the workstation's browser tests share: the renderer's dev server, Debian's
 * Chromium, a page whose uncaught errors are collected, and the demo workspace, opened from the
 * first start and built by the engine worker ('demo', the default), or the page left on the
 * first start ('first-start') for a test that opens the demo itself.
 */
export interface DemoWorkstationOptions {
  readonly start?: 'demo' | 'first-start';
}

export async function openDemoWorkstation(options: DemoWorkstationOptions = {}): Promise<OpenWorkstation> {
  const desk = await openWorkstation();
  try {
    if (options.start === 'first-start') await desk.page.goto(desk.baseUrl);
    else await openDemoWorkspace(desk.page, desk.baseUrl);
    return desk;
  } catch (error) {
    await desk.close();
    throw error;
  }
}

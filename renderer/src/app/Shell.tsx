import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Header } from './Header.tsx';
import { Navigation } from './Navigation.tsx';
import { useRoute } from './router.ts';
import { SCREENS } from './routes.tsx';
import { ScreenBoundary } from './ScreenBoundary.tsx';
import { useScreenShortcuts } from './shortcuts.ts';

/** The desk's frame: skip link, navigation, header, and the current screen. */
export function Shell() {
  const { t } = useTranslation();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useScreenShortcuts();
  // AG Grid's one-time costs (its code, CSS, first grid) paid in idle time once the frame is up, a step per task, so the first grid screen has no set-up task of its own (docs/workstation-scale.md).
  useEffect(() => {
    const warm = new AbortController();
    const start = requestIdleCallback(() => void import('../grid/warm-up.ts').then((module) => module.warmUpGrids(warm.signal)));
    return () => {
      cancelIdleCallback(start);
      warm.abort();
    };
  }, []);
  // Moving to another screen moves keyboard focus to it, so the next Tab starts there.
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [route.id]);
  const Screen = SCREENS[route.id];
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(event) => (event.preventDefault(), main.current?.focus())}>
        {t('app.skipToContent')}
      </a>
      <Navigation current={route.id} />
      <div className="shell-body">
        <Header />
        <main id="main" ref={main} tabIndex={-1} className="screen" data-screen={route.id}>
          <ScreenBoundary key={route.id} render={(error) => <p role="alert">{t('app.screenFailed', { message: error.message })}</p>}>
            <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
              {Screen === null ? (
                <>
                  <h1>{t(`nav.${route.id}`)}</h1>
                  <p className="muted">{t('app.notBuilt')}</p>
                </>
              ) : (
                <Screen query={route.query} />
              )}
            </Suspense>
          </ScreenBoundary>
        </main>
      </div>
    </div>
  );
}

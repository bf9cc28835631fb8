import { useTranslation } from 'react-i18next';
import { hrefOf } from './router.ts';
import { ROUTE_IDS, SCREENS, shortcutOf, type RouteId } from './routes.tsx';

export function Navigation({ current }: { readonly current: RouteId }) {
  const { t } = useTranslation();
  return (
    <nav className="nav" aria-label={t('app.navigation')}>
      <div className="nav-brand" aria-hidden="true">
        {t('app.name')}
      </div>
      <ul>
        {ROUTE_IDS.map((id) => {
          const shortcut = shortcutOf(id);
          return (
            <li key={id}>
              <a href={hrefOf(id)} aria-current={id === current ? 'page' : undefined} aria-keyshortcuts={shortcut ?? undefined} className={SCREENS[id] === null ? 'nav-pending' : undefined} data-route={id}>
                <span>{t(`nav.${id}`)}</span>
                {shortcut !== null && <kbd aria-hidden="true">{shortcut.replace('Alt+', '⌥')}</kbd>}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * The route registry: the navigation, the hash routes and the Alt+digit shortcuts all come from
 * here. A screen plugs in with ONE line in SCREENS (a named export, loaded lazily):
 *   exceptions: lazyScreen(() => import('../screens/exceptions/ExceptionsScreen.tsx'), (m) => m.ExceptionsScreen),
 * A null entry shows "not built yet" under its navigation item.
 */
export const ROUTE_IDS = ['dashboard', 'imports', 'transactions', 'exceptions', 'reconciliation', 'settlements', 'partners', 'audit', 'sync', 'settings', 'partner-access'] as const;
export type RouteId = (typeof ROUTE_IDS)[number];

/** What every screen receives: the query of its hash route (#/transactions?from=2026-03-01). */
export interface ScreenProps {
  readonly query: URLSearchParams;
}

export type Screen = ComponentType<ScreenProps> | LazyExoticComponent<ComponentType<ScreenProps>>;

export function lazyScreen<M>(load: () => Promise<M>, pick: (module: M) => ComponentType<ScreenProps>): Screen {
  return lazy(() => load().then((module) => ({ default: pick(module) })));
}

export const SCREENS: Readonly<Record<RouteId, Screen | null>> = {
  dashboard: lazyScreen(() => import('../screens/dashboard/DashboardScreen.tsx'), (m) => m.DashboardScreen),
  imports: lazyScreen(() => import('../screens/imports/ImportsScreen.tsx'), (m) => m.ImportsScreen),
  transactions: lazyScreen(() => import('../screens/transactions/TransactionsScreen.tsx'), (m) => m.TransactionsScreen),
  exceptions: lazyScreen(() => import('../screens/exceptions/ExceptionsScreen.tsx'), (m) => m.ExceptionsScreen),
  reconciliation: lazyScreen(() => import('../screens/reconciliation/ReconciliationScreen.tsx'), (m) => m.ReconciliationScreen),
  settlements: lazyScreen(() => import('../screens/settlements/SettlementsScreen.tsx'), (m) => m.SettlementsScreen),
  partners: lazyScreen(() => import('../screens/partners/PartnersScreen.tsx'), (m) => m.PartnersScreen),
  audit: lazyScreen(() => import('../screens/audit/AuditScreen.tsx'), (m) => m.AuditScreen),
  sync: lazyScreen(() => import('../screens/sync/SyncScreen.tsx'), (m) => m.SyncScreen),
  settings: lazyScreen(() => import('../screens/settings/SettingsScreen.tsx'), (m) => m.SettingsScreen),
  'partner-access': lazyScreen(() => import('../screens/partner-access/PartnerAccessScreen.tsx'), (m) => m.PartnerAccessScreen),
};

/** Alt+1 … Alt+9, Alt+0 open the first ten screens in navigation order; later ones have no shortcut. */
export function shortcutOf(id: RouteId): string | null {
  const index = ROUTE_IDS.indexOf(id);
  return index < 10 ? `Alt+${(index + 1) % 10}` : null;
}

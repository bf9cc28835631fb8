import { useEffect, useState } from 'react';
import { ROUTE_IDS, type RouteId } from './routes.tsx';

/** Hash routes (#/imports?x=1): they work the same under Vite, file-less Electron protocols and reloads. */
export interface RouteMatch {
  readonly id: RouteId;
  readonly query: URLSearchParams;
}

export const DEFAULT_ROUTE: RouteId = 'dashboard';

export function parseHash(hash: string): RouteMatch {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = body.split('?', 2);
  const id = (ROUTE_IDS as readonly string[]).includes(path) ? (path as RouteId) : DEFAULT_ROUTE;
  return { id, query: new URLSearchParams(search) };
}

export function hrefOf(id: RouteId, query?: Record<string, string>): string {
  const search = query === undefined ? '' : new URLSearchParams(query).toString();
  return `#/${id}${search === '' ? '' : `?${search}`}`;
}

export function navigate(id: RouteId, query?: Record<string, string>): void {
  window.location.hash = hrefOf(id, query);
}

export function useRoute(): RouteMatch {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

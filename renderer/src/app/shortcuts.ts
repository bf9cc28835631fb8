import { useEffect } from 'react';
import { navigate } from './router.ts';
import { ROUTE_IDS } from './routes.tsx';

/** Alt+1 … Alt+0 jump between screens (the navigation shows each one's key). */
export function useScreenShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || !/^Digit\d$/.test(event.code)) return;
      const digit = Number(event.code.slice(5));
      const id = ROUTE_IDS[(digit + 9) % 10];
      if (id === undefined) return;
      event.preventDefault();
      navigate(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

import { useEffect, useState } from 'react';
import { allocate, formatAmount, AMOUNT_FORMATS, money } from '../../core/money/index.ts';
import { currentHost } from '../host/current.ts';
import type { HostInfo } from '../host/host.ts';

/** Placeholder screen until the workstation UI lands: proves core/ runs in the renderer. */
export function App() {
  const [host, setHost] = useState<HostInfo | null>(null);
  useEffect(() => {
    void currentHost().info().then(setHost);
  }, []);
  const parts = allocate(money('100.00', 'EUR'), ['1', '1', '1']);
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>SettleDesk</h1>
      <p data-testid="host">{host === null ? 'connecting…' : `Running in ${host.kind} host ${host.version}`}</p>
      <p>
        100.00 EUR split three ways:{' '}
        <span data-testid="allocation">{parts.map((part) => formatAmount(part.amount, AMOUNT_FORMATS.en)).join(' + ')}</span>
      </p>
    </main>
  );
}

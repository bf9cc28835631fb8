import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics, one registry per server instance (tests run several in one process, and
 * prom-client's global registry would refuse the second).
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  readonly pushedDocuments: Counter<'collection'>;
  readonly conflicts: Counter<'collection'>;
  readonly pulledDocuments: Counter<'collection'>;
  readonly pushes: Counter<'collection'>;
  /** Seconds from a document's write on the server to its delivery by a pull or a stream. */
  readonly syncLagSeconds: Histogram<'via'>;
  readonly streamClients: Gauge;
  readonly ingestRows: Counter;
  readonly signInFailures: Counter;
}

export function createMetrics(options: { readonly defaultMetrics: boolean }): ServerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'settledesk_' });
  return {
    registry,
    requestSeconds: new Histogram({ name: 'settledesk_http_request_seconds', help: 'HTTP request latency', labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    pushedDocuments: new Counter({ name: 'settledesk_sync_pushed_documents_total', help: 'Documents written by replication pushes', labelNames: ['collection'], registers: [registry] }),
    conflicts: new Counter({ name: 'settledesk_sync_conflicts_total', help: 'Pushed documents refused as conflicts', labelNames: ['collection'], registers: [registry] }),
    pulledDocuments: new Counter({ name: 'settledesk_sync_pulled_documents_total', help: 'Documents served by pulls', labelNames: ['collection'], registers: [registry] }),
    pushes: new Counter({ name: 'settledesk_sync_pushes_total', help: 'Replication push requests answered', labelNames: ['collection'], registers: [registry] }),
    syncLagSeconds: new Histogram({ name: 'settledesk_sync_lag_seconds', help: 'Seconds from a document write to its delivery to a desk (pull or stream)', labelNames: ['via'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600, 86_400], registers: [registry] }),
    streamClients: new Gauge({ name: 'settledesk_sync_stream_clients', help: 'Open Server-Sent Event streams', registers: [registry] }),
    ingestRows: new Counter({ name: 'settledesk_ingest_rows_total', help: 'Transaction rows ingested', registers: [registry] }),
    signInFailures: new Counter({ name: 'settledesk_sign_in_failures_total', help: 'Refused sign-ins', registers: [registry] }),
  };
}

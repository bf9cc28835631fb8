import type { FastifyInstance } from 'fastify';

/**
 * /healthz: the process answers (for a restart decision). /readyz: the database answers (for
 * the load balancer). /metrics: Prometheus text. None needs a token: they reveal no data.
 */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await app.db.query('select 1 from schema_migrations limit 1');
      return { status: 'ready', database: app.db.kind };
    } catch (error) {
      app.log.warn({ err: error }, 'database not ready');
      return reply.status(503).send({ error: { code: 'not_ready', message: 'database not reachable' } });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
}

import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/db/types.ts';
import { openPglite } from '../server/db/pglite.ts';
import { migrate } from '../server/db/migrate.ts';
import { startTestApp, type TestApp } from '../server/test-app.test-support.ts';

/**
 * The partner API's OpenAPI document as served: every partner route the server has is in it and
 * every operation in it is a route; each schema is valid JSON Schema (2020-12, as OpenAPI 3.1
 * uses), and the request schemas accept and refuse what the routes do. ajv is Fastify's own
 * validator (a dependency of fastify), used here only to judge the document.
 */
describe('partner OpenAPI document', () => {
  let db: Db;
  let t: TestApp;
  let document: { openapi: string; paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string; schema: object }>; requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    t = await startTestApp(db, { partner: { webhookWorker: false } });
    const served = await t.app.inject({ method: 'GET', url: '/api/v1/partner/openapi.json' });
    expect(served.statusCode).toBe(200);
    document = served.json();
  }, 120_000);
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
  });

  it('lists exactly the partner routes the server answers', () => {
    // printRoutes draws a tree: each level indents four characters and holds the rest of the path.
    const prefixes: string[] = [];
    const routes: string[] = [];
    for (const line of t.app.printRoutes({ commonPrefix: false }).split('\n')) {
      const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
      if (match === null) continue;
      const depth = (match[1] as string).length / 4;
      const path = `${prefixes[depth - 1] ?? ''}${match[2] as string}`;
      prefixes[depth] = path;
      for (const method of (match[3] as string).split(', ')) if (method !== 'HEAD' && path.startsWith('/api/v1/partner/') && !path.endsWith('/openapi.json')) routes.push(`${method} ${path}`);
    }
    routes.sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} /api/v1/partner${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    expect(routes.length).toBe(6);
    expect(documented).toEqual(routes);
    expect(document.openapi).toBe('3.1.0');
  });

  it('holds only valid JSON Schemas, and the query body schema judges bodies as the route does', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const schemas: object[] = [];
    for (const operations of Object.values(document.paths)) {
      for (const operation of Object.values(operations)) {
        for (const parameter of operation.parameters) schemas.push(parameter.schema);
        for (const content of Object.values(operation.requestBody?.content ?? {})) schemas.push(content.schema);
        for (const response of Object.values(operation.responses)) for (const content of Object.values(response.content ?? {})) if (!('$ref' in content.schema)) schemas.push(content.schema);
      }
    }
    // 10 parameters (period; id x3; id, line, offset, limit; id x2), 1 request body, 5 JSON answers (the PDF is binary).
    expect(schemas.length).toBe(16);
    for (const schema of schemas) expect(ajv.validateSchema(schema), JSON.stringify(schema).slice(0, 200)).toBe(true);
    const body = document.paths['/statements/{id}/queries']?.post?.requestBody?.content['application/json']?.schema as object;
    const valid = ajv.compile(body);
    expect(valid({ line: 1, text: 'why?', claimedAmount: '12.50' })).toBe(true);
    expect(valid({ line: 1, text: 'why?' })).toBe(true);
    expect(valid({ line: 0, text: 'why?' })).toBe(false);
    expect(valid({ line: 1, text: 'why?', claimedAmount: 12.5 })).toBe(false);
    expect(valid({ line: 1, text: 'why?', partnerId: 'B' })).toBe(false);
  });
});

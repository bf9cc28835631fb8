import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PARTNER_PREFIX } from './routes.ts';
import { ErrorResponse, LineParams, PageQuery, QueryBody, QueryList, QueryResponse, StatementList, StatementParams, StatementResponse, StatementsQuery, TransactionPage } from './schemas.ts';

/**
 * The partner API's OpenAPI 3.1 document, served at /api/v1/partner/openapi.json. Parameter and
 * body schemas are the zod schemas the routes check requests with, converted to JSON Schema, so
 * the document cannot describe a request the server would refuse.
 */
interface Operation {
  readonly method: 'get' | 'post';
  /** OpenAPI path template ({id}); the Fastify route is the same with :id. */
  readonly path: string;
  readonly summary: string;
  readonly scope: 'statements:read' | 'queries:write';
  readonly params: z.ZodObject | null;
  readonly query: z.ZodObject | null;
  readonly body: z.ZodType | null;
  readonly success: { readonly status: '200' | '201'; readonly schema: z.ZodType | null; readonly contentType: string };
}

const JSON_TYPE = 'application/json';

export const PARTNER_OPERATIONS: readonly Operation[] = [
  { method: 'get', path: '/statements', summary: 'Approved statements, optionally of one period', scope: 'statements:read', params: null, query: StatementsQuery, body: null, success: { status: '200', schema: StatementList, contentType: JSON_TYPE } },
  { method: 'get', path: '/statements/{id}', summary: 'One approved statement: canonical document, JWS, and the diff to its successor when superseded', scope: 'statements:read', params: StatementParams, query: null, body: null, success: { status: '200', schema: StatementResponse, contentType: JSON_TYPE } },
  { method: 'get', path: '/statements/{id}.pdf', summary: 'The signed PDF (404 artifact_not_stored until one is stored)', scope: 'statements:read', params: StatementParams, query: null, body: null, success: { status: '200', schema: null, contentType: 'application/pdf' } },
  { method: 'get', path: '/statements/{id}/lines/{line}/transactions', summary: 'The transactions behind a line, paged; end-customer data pseudonymized', scope: 'statements:read', params: LineParams, query: PageQuery, body: null, success: { status: '200', schema: TransactionPage, contentType: JSON_TYPE } },
  { method: 'get', path: '/statements/{id}/queries', summary: "The partner's queries on a statement, with answers", scope: 'statements:read', params: StatementParams, query: null, body: null, success: { status: '200', schema: QueryList, contentType: JSON_TYPE } },
  { method: 'post', path: '/statements/{id}/queries', summary: 'Question a line (text and an optional claimed amount)', scope: 'queries:write', params: StatementParams, query: null, body: QueryBody, success: { status: '201', schema: QueryResponse, contentType: JSON_TYPE } },
];

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // io: 'input' describes what a client sends (coerced numbers, defaults optional).
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodObject | null, where: 'path' | 'query'): Record<string, unknown>[] {
  if (schema === null) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({ name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: property }));
}

const ERROR_RESPONSES = {
  '400': 'Invalid request',
  '401': 'No credentials, or an invalid, revoked or expired key or token',
  '403': 'The key lacks the scope, the account is not a partner, or its password is a one-time one not yet changed (password_change_required: POST /api/v1/auth/password first)',
  '404': 'Not visible to this partner (never says whether another partner has it)',
  '429': 'Rate limit of the key reached, counted across every server process (Retry-After)',
} as const;

export function partnerOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorContent = { [JSON_TYPE]: { schema: { $ref: '#/components/schemas/Error' } } };
  for (const operation of PARTNER_OPERATIONS) {
    const success = { description: 'OK', content: { [operation.success.contentType]: { schema: operation.success.schema === null ? { type: 'string', format: 'binary' } : jsonSchema(operation.success.schema) } } };
    paths[operation.path] ??= {};
    (paths[operation.path] as Record<string, unknown>)[operation.method] = {
      summary: operation.summary,
      security: [{ apiKey: [operation.scope] }, { bearer: [] }],
      parameters: [...parameters(operation.params, 'path'), ...parameters(operation.query, 'query')],
      ...(operation.body === null ? {} : { requestBody: { required: true, content: { [JSON_TYPE]: { schema: jsonSchema(operation.body) } } } }),
      responses: { [operation.success.status]: success, ...Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, description]) => [status, { description, content: errorContent }])) },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'SettleDesk partner API', version: '1', description: "A partner's approved statements, the transactions behind them, and queries. Every answer is scoped to the caller's own partner." },
    servers: [{ url: PARTNER_PREFIX }],
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorResponse) },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: '"ApiKey sdpk_…", made by an admin; scopes statements:read, queries:write' },
        bearer: { type: 'http', scheme: 'bearer', description: "A partner user's access token from /api/v1/auth/sign-in" },
      },
    },
  };
}

export async function partnerOpenApiRoute(app: FastifyInstance): Promise<void> {
  const document = partnerOpenApiDocument();
  app.get(`${PARTNER_PREFIX}/openapi.json`, async () => document);
}

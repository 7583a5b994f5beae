import { z } from 'zod';

/** One JSON API operation as the OpenAPI document describes it; schemas are the routes' own zod schemas. */
export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** Who may call it, in words. */
  access: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
}

const errorSchema = z.object({ error: z.object({ status: z.number(), code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });

function schema(s: z.ZodType): unknown {
  return z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' });
}

/** OpenAPI 3.0 from the operations: the document the browsable page and clients read. */
export function openApiDocument(ops: readonly ApiOperation[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const oaPath = op.path.replace(/:(\w+)/g, '{$1}');
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({ name, in: 'query', required: !(s as z.ZodType).safeParse(undefined).success, schema: schema(s as z.ZodType) }))
      : [];
    (paths[oaPath] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      description: `Access: ${op.access}`,
      parameters: [...params, ...query],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(op.body) } } } } : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: op.response ? schema(op.response) : {} } } },
        '4XX': { description: 'Refused, with a message a person can act on', content: { 'application/json': { schema: schema(errorSchema) } } },
      },
      security: [{ bearer: [] }, { session: [] }],
    };
  }
  return {
    openapi: '3.0.3',
    info,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token from the account page' },
        session: { type: 'apiKey', in: 'cookie', name: 'accord.sid' },
      },
    },
    paths,
  };
}

import { z } from 'zod';

/** Lists kept by the server (templates, product groups) whose values a body field must take. */
export type ChoiceList = 'kinds' | 'productGroups';

/** One JSON API operation as the OpenAPI document describes it; schemas are the routes' own zod schemas. */
export interface ApiOperation {
  /** The operationId, unique in the document: what generated clients name the call. */
  id: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** Who may call it, in words. */
  access: string;
  /** Anyone may call it without credentials: each caller is answered with what they may see. */
  anonymous?: boolean;
  /** Schemas of path parameters; a parameter not named here is any string. */
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body is a file sent as it is (application/octet-stream), described in these words. */
  upload?: string;
  /** Top-level body fields whose value must be one of a list the server keeps. */
  choices?: Record<string, ChoiceList>;
  /** 200, or 201 for an operation that creates something. */
  status?: 200 | 201;
  /** A 201 tells where the new thing is in `Location`. */
  location?: boolean;
  response?: z.ZodType;
  /** The answer is a document of this type (a string), not JSON. */
  produces?: 'application/xml';
  /** Besides JSON, the answer is a file of one of these types when the caller's Accept asks for it. */
  alternatives?: readonly string[];
}

/** A database id in a path (anything else is simply not found). */
export const objectIdParam = z.string().regex(/^[0-9a-fA-F]{24}$/);

const errorSchema = z.object({ error: z.object({ status: z.number(), code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }) });

function schema(s: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
}

/** The body schema with the fields that take a listed value turned into enums of the current list. */
function withChoices(body: Record<string, unknown>, choices: ApiOperation['choices'], lists: Record<ChoiceList, readonly string[]>) {
  if (!choices) return body;
  const properties = { ...(body.properties as Record<string, Record<string, unknown>>) };
  for (const [field, list] of Object.entries(choices)) {
    const { minLength: _min, maxLength: _max, ...rest } = properties[field] ?? {};
    properties[field] = { ...rest, type: 'string', enum: [...lists[list]] };
  }
  return { ...body, properties };
}

const errorContent = { 'application/json': { schema: schema(errorSchema) } };

/** OpenAPI 3.0 from the operations: the document the browsable page and clients read. */
export function openApiDocument(ops: readonly ApiOperation[], info: { title: string; version: string }, lists: Record<ChoiceList, readonly string[]>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ops) {
    const oaPath = op.path.replace(/:(\w+)/g, '{$1}');
    const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: op.params?.[m[1]!] ? schema(op.params[m[1]!]!) : { type: 'string' } }));
    const query = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => ({ name, in: 'query', required: !(s as z.ZodType).safeParse(undefined).success, schema: schema(s as z.ZodType) }))
      : [];
    const status = op.status ?? 200;
    const refusesInput = op.body !== undefined || op.query !== undefined || op.upload !== undefined;
    (paths[oaPath] ??= {})[op.method] = {
      operationId: op.id,
      summary: op.summary,
      tags: [op.tag],
      description: `Access: ${op.access}`,
      parameters: [...params, ...query],
      // A body whose every field may be left out may be left out altogether.
      ...(op.upload ? { requestBody: { required: true, description: op.upload, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } } : {}),
      ...(op.body ? { requestBody: { required: !op.body.safeParse({}).success, content: { 'application/json': { schema: withChoices(schema(op.body), op.choices, lists) } } } } : {}),
      responses: {
        [String(status)]: {
          description: status === 201 ? 'Created' : 'OK',
          ...(op.location ? { headers: { Location: { description: 'Where the new resource is', schema: { type: 'string' } } } } : {}),
          content: op.produces
            ? { [op.produces]: { schema: { type: 'string' } } }
            : {
                'application/json': { schema: op.response ? schema(op.response) : {} },
                ...Object.fromEntries((op.alternatives ?? []).map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
              },
        },
        '401': {
          description: op.anonymous ? 'The token sent is not valid (without one, the call is answered)' : 'Not signed in, or the token sent is not valid',
          headers: { 'WWW-Authenticate': { description: 'Bearer, or Bearer error="invalid_token" for a bad token (RFC 6750)', schema: { type: 'string' } } },
          content: errorContent,
        },
        ...(refusesInput ? { '422': { description: 'Invalid input: a message for the person, and one per field at fault', content: errorContent } } : {}),
        '4XX': { description: 'Refused, with a message a person can act on', content: errorContent },
      },
      // An empty requirement: the operation answers a caller who sends no credentials at all.
      security: [...(op.anonymous ? [{}] : []), { bearer: [] }, { session: [] }],
    };
  }
  return {
    openapi: '3.0.3',
    info,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token from the account page' },
        session: { type: 'apiKey', in: 'cookie', name: 'accord.sid', description: 'A browser session; changing calls also need its CSRF token in X-CSRF-Token' },
      },
    },
    paths,
  };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the route table (method, path, access) and the
 * same zod shapes that validate each route's query string and JSON body, so the document cannot drift
 * from what the server accepts. And a browsable reference page made from it.
 */
import { z } from 'zod';
import { esc } from '../stabilize/svg.js';
import type { Access } from './auth.js';

export interface DocRoute {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  query?: z.ZodRawShape;
  body?: z.ZodRawShape;
}

const toSchema = (shape: z.ZodRawShape): Record<string, unknown> => {
  const { $schema: _s, ...rest } = z.toJSONSchema(z.object(shape).strict(), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const PROBLEM = { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, error: { type: 'string' } }, required: ['status', 'detail'] };

export function openApiDocument(routes: readonly DocRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[^a-z0-9]+/gi, '_')}`,
      summary: `${r.method} ${r.path}`,
      'x-access': r.access,
      ...(r.access === 'public' ? { security: [] } : r.access === 'read' ? { security: [{}, { session: [] }, { token: [] }] } : { security: [{ session: [] }, { token: [] }] }),
      responses: {
        200: { description: 'the answer (JSON, GeoJSON or HTML, as the path says)' },
        default: { description: 'an error, as RFC 9457 problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
    if (r.query) {
      const schema = toSchema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      op.parameters = Object.entries(schema.properties ?? {}).map(([name, s]) => ({ name, in: 'query', required: (schema.required ?? []).includes(name), schema: s }));
    }
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body) } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Frontline API', version, description: 'Events, control of terrain, races, extraction and stabilization. Access per route in x-access: public, read (anyone when reading is public, else a viewer), viewer, analyst, admin. Cookie sessions send x-csrf-token on writes.' },
    paths,
    components: {
      schemas: { Problem: PROBLEM },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'frontline_session' }, token: { type: 'http', scheme: 'bearer' } },
    },
  };
}

/** A reference page: every route, who may call it, its parameters and body, from the document. */
export function referencePage(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, { 'x-access': string; parameters?: { name: string; required: boolean; schema: Record<string, unknown> }[]; requestBody?: { content: { 'application/json': { schema: unknown } } } }>>;
  const rows = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => `<section><h2><code>${esc(method.toUpperCase())} ${esc(path)}</code> <small>${esc(op['x-access'])}</small></h2>
${op.parameters?.length ? `<table><thead><tr><th>parameter</th><th>required</th><th>schema</th></tr></thead><tbody>${op.parameters.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${p.required ? 'yes' : ''}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`).join('')}</tbody></table>` : ''}
${op.requestBody ? `<p>JSON body:</p><pre>${esc(JSON.stringify(op.requestBody.content['application/json'].schema, null, 1))}</pre>` : ''}</section>`),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Frontline API reference</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:60rem}h2{font-size:1rem;margin:1.2rem 0 .3rem}small{color:#555;font-weight:normal}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}pre{background:#f4f4f4;padding:.4rem;overflow:auto;font-size:.8rem}</style></head>
<body><h1>Frontline API reference</h1><p>Generated from the schemas that validate requests; the machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a>. Errors are RFC 9457 problem details.</p>${rows.join('\n')}</body></html>`;
}

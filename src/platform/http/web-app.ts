import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './error-handling.ts';
import { HttpProblem } from './problem.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const API_PREFIXES = ['/api/', '/oauth/', '/fhir/', '/health', '/ready'];

/**
 * Serves the built React app at / and falls back to index.html for client-side routes, while any
 * unknown API path still answers with a problem document rather than an HTML page.
 */
export async function registerWebApp(app: FastifyInstance, distDir = WEB_DIST_DIR): Promise<void> {
  const indexFile = path.join(distDir, 'index.html');
  const built = fs.existsSync(indexFile);
  if (built)
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      maxAge: '1h',
      setHeaders: (res, filePath) => {
        if (filePath.endsWith('index.html')) res.header('cache-control', 'no-cache');
      },
    });
  app.setNotFoundHandler((request, reply) => {
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    if (request.method === 'GET' && !isApi && request.headers.accept?.includes('text/html')) {
      if (built) return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
      return reply
        .status(503)
        .type('text/html')
        .send(
          '<!doctype html><title>Cellway</title><p>The web app is not built. Run <code>npm run build:web</code> or start with <code>npm start</code>.</p>',
        );
    }
    return sendProblem(
      request,
      reply,
      new HttpProblem(404, `No route for ${request.method} ${request.url.split('?')[0]}.`),
    );
  });
}

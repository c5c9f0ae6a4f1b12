import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Kanban board (web/, built by Vite into web/dist) is served at `/` as static files. It is
 * an ordinary client of the public API: it holds no server-side code and no privileges.
 */
const BOARD_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React and @dnd-kit set element styles (drag transforms); no inline <script> is allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

export async function serveBoard(fastify: FastifyInstance, root = boardDirectory()): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    fastify.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The board is not built yet: run `npm run build:web` (npm start does it).\n'),
    );
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per built file, found at start: no catch-all that could shadow the API.
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('Content-Security-Policy', BOARD_POLICY);
      // Hashed asset names never change content; the page itself is always revalidated.
      reply.header(
        'Cache-Control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}

/** web/dist under the package root, whether running from src/ (tests) or dist/src/ (npm start). */
function boardDirectory(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'web', 'dist');
}

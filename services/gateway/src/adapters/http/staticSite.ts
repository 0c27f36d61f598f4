import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpApp } from '@12street/platform';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build -w @12street/web` puts the web app, in this repository. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../../apps/web/dist', import.meta.url));

/**
 * The pages' policy: scripts, styles and API calls from this origin only, nothing inline, no
 * plugins, no framing. Every other answer keeps the API's `default-src 'none'`.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export type StaticSiteOptions = {
  /** The built app: index.html, assets/ (content-hashed names) and a few files beside them. */
  root: string;
  /** Paths that belong to the API: unknown ones there stay problem+json 404s, never the app. */
  apiPrefixes: readonly string[];
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>12street: web app not built</title></head>
<body><h1>The web app is not built yet</h1>
<p>Run <code>npm run build -w @12street/web</code> and reload this page. The API works without it.</p></body></html>
`;

const TOP_LEVEL_FILE = /^\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

/**
 * The storefront and saga console, served at `/` without a token (the app signs in by itself): its
 * assets, and index.html for every other page a browser asks for (the app routes in the browser).
 * The directory is looked at on each request, so a build made while the gateway runs is served.
 */
export function staticSite(app: HttpApp, options: StaticSiteOptions) {
  const { root, apiPrefixes } = options;
  const index = join(root, 'index.html');
  const belongsToApi = (path: string) => apiPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  const wantsPage = (request: FastifyRequest, path: string) =>
    (request.headers.accept ?? '').includes('text/html') && !belongsToApi(path);

  const page = (reply: FastifyReply) => {
    reply.header('cache-control', 'no-cache');
    if (!isFile(index)) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.header('content-security-policy', WEB_APP_CSP).sendFile('index.html', root);
  };

  app.register(async (site) => {
    await site.register(fastifyStatic, { serve: false, root, cacheControl: false });

    site.get('/', async (_request, reply) => page(reply));

    // Built files are named by their content: they never change, so they may be kept for good.
    site.get('/assets/*', async (request, reply) => {
      const name = (request.params as { '*': string })['*'];
      if (!isFile(join(root, 'assets', name))) return reply.callNotFound();
      return reply.sendFile(name, join(root, 'assets'), { immutable: true, maxAge: '365d', cacheControl: true });
    });

    site.get('/*', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (path !== '/index.html' && TOP_LEVEL_FILE.test(path) && isFile(join(root, path))) {
        reply.header('cache-control', 'no-cache');
        return reply.sendFile(path.slice(1), root);
      }
      return path === '/index.html' || wantsPage(request, path) ? page(reply) : reply.callNotFound();
    });
  });
}

// `dreambench view`'s HTTP server: Node's own http module (a handful of routes need no framework).
// Safe by default: bound to 127.0.0.1 unless told otherwise; every request must name this server in
// its Host header (no DNS rebinding); everything is read-only except POST /api/run/<id>/review,
// which needs the token printed at start in the X-Dreambench-Token header, a JSON body, and an
// Origin that is this server (no cross-site request can do all three). Files are served only from
// inside the served run directories (harness/view/safe-path.ts).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MemoryNotFound } from './memory-model.js';
import { createApi, NotFound, type Api, type Params } from './api.js';
import type { LogApi } from './log-api.js';
import { assetNames, checkAssets, indexHtml, logQueryScript, STYLE_FILE, trialQueryScript } from './assets.js';
import { discoverRuns, type ServedRun } from './run-index.js';
import { eventsSize, readEventsFrom } from './run-reader.js';
import { PathRefused } from './safe-path.js';
import { PreviewUnavailable } from './preview.js';
import { parseDecision, reviewInRun, ReviewRefused } from './review-actions.js';
import { VIEW_CSS } from './style.js';
import { ReviewTargetError } from '../dreaming/review-targets.js';

export interface ViewServerOptions {
  /** Run directories, or folders holding runs. */
  paths: string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The review token (default: a fresh random one). */
  token?: string;
  /** The compiled client (default: harness/view/assets.ts defaultAssetsDir). */
  assetsDir: string;
  /** How often a run in progress is checked for new journal lines (ms). */
  pollMs?: number;
  /** Agent logs to serve beside the runs (`dreambench view --logs`), already read and checked. */
  logs?: LogApi;
}

export interface ViewServer {
  url: string;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];
const MAX_BODY = 64 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'self'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
  'Cache-Control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...extra });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

function statusOf(error: unknown): number {
  if (error instanceof PathRefused) return 403;
  if (error instanceof NotFound || error instanceof MemoryNotFound || error instanceof PreviewUnavailable) return 404;
  if (error instanceof ReviewRefused || error instanceof ReviewTargetError) return 400;
  return 500;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ReviewRefused('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  checkAssets(options.assetsDir);
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(18).toString('base64url');
  let served: ServedRun[] = discoverRuns(options.paths);
  const api: Api = createApi(() => served, options.logs);
  const assets = new Set(assetNames(options.assetsDir));
  const live = new Set<ServerResponse>();
  const sizes = new Map<string, number>();
  let port = 0;

  const allowedHost = (value: string | undefined): boolean => {
    if (!value) return false;
    const names =
      host === '0.0.0.0' || host === '::' ? undefined : [...LOOPBACK, host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
    if (!names) return true;
    return names.some((name) => value === `${name}:${port}`);
  };

  const poll = (): void => {
    if (live.size === 0) return;
    try {
      served = discoverRuns(options.paths);
    } catch {
      // A served folder removed while the viewer runs: keep showing what was found before.
    }
    for (const run of served) {
      const before = sizes.get(run.id);
      const now = eventsSize(run.root);
      if (before === undefined) {
        // A run that appeared under a served folder: announce it, follow it from here on.
        sizes.set(run.id, now);
        const message = `data: ${JSON.stringify({ run: run.id, events: [] })}\n\n`;
        for (const res of live) res.write(message);
      } else if (now > before) {
        const { events, offset } = readEventsFrom(run.root, before);
        sizes.set(run.id, offset);
        const message = `data: ${JSON.stringify({ run: run.id, events })}\n\n`;
        for (const res of live) res.write(message);
      }
    }
  };
  for (const run of served) sizes.set(run.id, eventsSize(run.root));
  const timer = setInterval(poll, options.pollMs ?? 1000);
  timer.unref();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHost(req.headers.host))
      return send(res, 421, 'text/plain; charset=utf-8', 'This server answers only to its own address.\n');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const path = url.pathname;
    if (req.method === 'POST') {
      const m = /^\/api\/run\/([A-Za-z0-9._-]+)\/review$/.exec(path);
      if (!m) return sendJson(res, 404, { error: `no such action: ${path}` });
      const origin = req.headers.origin;
      if (!origin || origin !== `http://${req.headers.host}`)
        return sendJson(res, 403, { error: "review actions are accepted only from this viewer's own pages (Origin)" });
      const given = req.headers['x-dreambench-token'];
      if (!sameToken(typeof given === 'string' ? given : undefined, token))
        return sendJson(res, 403, { error: 'a review needs the token `dreambench view` printed at start' });
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
        return sendJson(res, 415, { error: 'send the decision as application/json' });
      const run = served.find((r) => r.id === m[1]);
      if (!run) return sendJson(res, 404, { error: `no run "${m[1]}"` });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req)) as unknown;
      } catch (error) {
        return sendJson(res, 400, { error: error instanceof ReviewRefused ? error.message : 'the body is not valid JSON' });
      }
      const changeset = reviewInRun(run.root, parseDecision(body));
      return sendJson(res, 200, { changeset });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'read-only\n', { Allow: 'GET, HEAD, POST' });
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', indexHtml('server', '/assets/'));
    if (path.startsWith('/assets/')) {
      const name = path.slice('/assets/'.length);
      if (name === 'trial-query.js') return send(res, 200, 'text/javascript; charset=utf-8', trialQueryScript());
      if (name === 'log-query.js') return send(res, 200, 'text/javascript; charset=utf-8', logQueryScript());
      if (name === STYLE_FILE) return send(res, 200, 'text/css; charset=utf-8', VIEW_CSS);
      if (!assets.has(name)) return send(res, 404, 'text/plain; charset=utf-8', 'no such asset\n');
      return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(join(options.assetsDir, name)));
    }
    if (path === '/api/live') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': live\n\n');
      live.add(res);
      req.on('close', () => live.delete(res));
      return;
    }
    if (!path.startsWith('/api/')) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    const params: Params = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    const result = await api.get(path, params);
    if (result.kind === 'json') return sendJson(res, 200, result.body);
    const name = result.path.split('/').pop() ?? 'file';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': result.type,
      ...(result.download ? { 'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(result.path).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.end();
      sendJson(res, statusOf(error), { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    token,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        clearInterval(timer);
        for (const res of live) res.end();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

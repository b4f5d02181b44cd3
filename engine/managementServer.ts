/**
 * The engine's operations port, in the manner of Zeebe's (9600): a health probe and Zeebe 8.6's clock
 * actuator, through which tests and operators move engine time.
 */
import http from 'node:http';
import type { EngineClock } from './clock';

/** Clock commands are a few bytes; anything much larger is not one. */
const MAX_BODY_BYTES = 16 * 1024;

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startManagementServer(options: {
  host: string;
  port: number;
  clock: EngineClock;
}): Promise<{ port: number; close(): Promise<void> }> {
  const { clock } = options;

  const route = async (request: http.IncomingMessage): Promise<Reply> => {
    const { pathname } = new URL(request.url ?? '/', 'http://management');
    const method = request.method ?? 'GET';
    switch (pathname) {
      case '/health':
        if (method !== 'GET') return methodNotAllowed('GET');
        return { status: 200, body: { status: 'UP' } };
      case '/actuator/clock':
        if (method === 'GET') return { status: 200, body: clockState(clock.now()) };
        if (method !== 'DELETE') return methodNotAllowed('GET, DELETE');
        requireControllable(clock);
        return { status: 200, body: clockState(clock.reset()) };
      case '/actuator/clock/pin': {
        if (method !== 'POST') return methodNotAllowed('POST');
        requireControllable(clock);
        const epochMilli = integerField(await readJson(request), 'epochMilli');
        if (epochMilli < 0) throw new HttpError(400, `Expected epochMilli to be zero or more, but it was ${epochMilli}`);
        return { status: 200, body: clockState(clock.pin(epochMilli)) };
      }
      case '/actuator/clock/add': {
        if (method !== 'POST') return methodNotAllowed('POST');
        requireControllable(clock);
        const offsetMilli = integerField(await readJson(request), 'offsetMilli');
        return { status: 200, body: clockState(clock.add(offsetMilli)) };
      }
      default:
        throw new HttpError(404, `No such endpoint: ${method} ${pathname}`);
    }
  };

  const server = http.createServer((request, response) => {
    route(request)
      .catch((error: unknown): Reply => {
        if (error instanceof HttpError) return { status: error.status, body: { message: error.message } };
        console.error(`management: ${request.method} ${request.url} failed`, error);
        return { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
      })
      .then(({ status, body, headers }) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(body));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;

  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open until they idle out.
        server.closeAllConnections();
      }),
  };
}

function clockState(epochMilli: number): { epochMilli: number; instant: string } {
  return { epochMilli, instant: new Date(epochMilli).toISOString() };
}

function requireControllable(clock: EngineClock): void {
  if (!clock.controllable) {
    throw new HttpError(403, 'The engine clock is not controllable; start the engine with ZEEBE_CLOCK_CONTROLLED=true');
  }
}

function methodNotAllowed(allowed: string): Reply {
  return { status: 405, body: { message: `Method not allowed; use ${allowed}` }, headers: { allow: allowed } };
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the loop early would destroy the socket the answer goes out on.
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

function integerField(body: unknown, field: string): number {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new HttpError(400, `Expected a JSON body {"${field}": <integer>}, but ${field} was ${JSON.stringify(value) ?? 'missing'}`);
  }
  return value;
}

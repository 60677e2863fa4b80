import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { HTTP_EVENTS_PATH, HTTP_INVOKE_PATH, HTTP_TOKEN_HEADER } from '../../shared/http'
import { contentSecurityPolicy } from '../../shared/csp'
import type { ErrorInfo } from '../../shared/errors'
import type { Service } from '../api/service'

export interface HttpServerOptions {
  service: Service
  /** Built renderer (index.html and assets); null serves the API only. */
  staticDir: string | null
  host?: string
  port?: number
  token?: string
}

export interface RunningServer {
  url: string
  /** The URL a user opens: carries the token in the fragment, which never reaches a server log. */
  openUrl: string
  token: string
  host: string
  port: number
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1024 * 1024

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy({ dev: false, header: true }),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost'
}

/**
 * The headless front end: the same UI the Electron window shows, plus the API over HTTP and
 * events over a WebSocket. Every API request must carry the per-run token; browser requests
 * from any other origin are refused, and on loopback the Host header must be ours too (which
 * stops DNS-rebinding pages from reaching the API).
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? randomBytes(24).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const sockets = new Set<WebSocket>()
  let port = 0

  const allowedHosts = (): Set<string> => {
    const names = isLoopback(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host]
    return new Set(names.map((n) => `${n}:${port}`))
  }
  const hostAllowed = (req: IncomingMessage): boolean => !isLoopback(host) || allowedHosts().has(req.headers.host ?? '')
  const originAllowed = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin
    // Non-browser clients (the CLI, curl) send no Origin; they still need the token.
    if (origin === undefined) return true
    return origin === `http://${req.headers.host ?? ''}` && (isLoopback(host) ? allowedHosts().has(req.headers.host ?? '') : true)
  }
  const tokenValid = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false
    const given = Buffer.from(candidate)
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes)
  }

  const server: Server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
    if (!hostAllowed(req)) return sendError(res, 421, { code: 'UNAUTHORIZED', message: 'Unexpected Host header' })
    const url = new URL(req.url ?? '/', 'http://placeholder')
    if (url.pathname === HTTP_INVOKE_PATH) return void handleInvoke(req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { code: 'VALIDATION', message: 'Method not allowed' })
    serveStatic(url.pathname, res)
  })

  async function handleInvoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendError(res, 405, { code: 'VALIDATION', message: 'Use POST' })
    if (!originAllowed(req)) return sendError(res, 403, { code: 'UNAUTHORIZED', message: 'Requests from another origin are refused' })
    if (!tokenValid(headerValue(req, HTTP_TOKEN_HEADER))) {
      return sendError(res, 401, { code: 'UNAUTHORIZED', message: 'Missing or wrong token: open the URL the server printed' })
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, 415, { code: 'VALIDATION', message: 'Content-Type must be application/json' })
    }
    let body: unknown
    try {
      body = JSON.parse(await readBody(req))
    } catch (error) {
      return sendError(res, 400, { code: 'VALIDATION', message: `Request body is not valid JSON: ${(error as Error).message}` })
    }
    if (typeof body !== 'object' || body === null || typeof (body as { method?: unknown }).method !== 'string') {
      return sendError(res, 400, { code: 'VALIDATION', message: 'Request body must be {"method": string, "args": object}' })
    }
    const { method, args } = body as { method: string; args?: unknown }
    sendJson(res, 200, await options.service.invoke(method, args ?? {}))
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    if (!options.staticDir) return sendError(res, 404, { code: 'NOT_FOUND', message: 'No UI is bundled with this server' })
    let relative: string
    try {
      relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname))
    } catch {
      return sendError(res, 400, { code: 'VALIDATION', message: 'Bad path' })
    }
    const root = normalize(options.staticDir + sep)
    const file = join(root, relative)
    if (!file.startsWith(root)) return sendError(res, 404, { code: 'NOT_FOUND', message: 'Not found' })
    try {
      const st = statSync(file)
      if (!st.isFile()) throw new Error('not a file')
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size })
      createReadStream(file).pipe(res)
    } catch {
      sendError(res, 404, { code: 'NOT_FOUND', message: 'Not found' })
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://placeholder')
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (url.pathname !== HTTP_EVENTS_PATH) return refuse('404 Not Found')
    if (!hostAllowed(req) || !originAllowed(req)) return refuse('403 Forbidden')
    if (!tokenValid(url.searchParams.get('token'))) return refuse('401 Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      const unsubscribe = options.service.subscribe((event) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event))
      })
      ws.on('close', () => {
        unsubscribe()
        sockets.delete(ws)
      })
      // The event stream is one-way; a client that talks is closed.
      ws.on('message', () => ws.close(1003, 'The event stream is read-only'))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  const url = `http://${shownHost}:${port}`
  return {
    url,
    openUrl: `${url}/#token=${token}`,
    token,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`body larger than ${MAX_BODY_BYTES} bytes`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) })
  res.end(body)
}

function sendError(res: ServerResponse, status: number, error: ErrorInfo): void {
  sendJson(res, status, { ok: false, error })
}

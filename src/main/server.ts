/** Headless front end: `npm run serve`. Serves the UI and the API on 127.0.0.1. */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createEngine } from './api/engine'
import { startHttpServer } from './transport/http-server'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    process.stdout.write(
      'Usage: npm run serve -- [--port N] [--host ADDRESS]\n' +
        '  Serves the app UI on http://127.0.0.1. Binding to another address (--host 0.0.0.0)\n' +
        '  exposes it to the network: every request still needs the printed token.\n',
    )
    return
  }
  const port = values.port ? Number(values.port) : 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`)
  const engine = await createEngine({ watchDrives: true })
  const server = await startHttpServer({
    service: engine.service,
    staticDir: join(__dirname, '..', 'renderer'),
    host: values.host ?? '127.0.0.1',
    port,
  })
  if (values.host && !['127.0.0.1', 'localhost', '::1'].includes(values.host)) {
    process.stdout.write(`Warning: listening on ${values.host}, reachable from other machines (token still required).\n`)
  }
  process.stdout.write(`Imaging Workstation is running headless.\nOpen ${server.openUrl}\n`)
  const shutdown = (): void => {
    void server.close().then(() => engine.close()).then(() => process.exit(0))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not start the server: ${(error as Error).message}\n`)
  process.exit(1)
})

import { afterAll } from 'vitest'
import { createEngine, type Engine, type EngineOptions } from '../../src/main/api/engine'
import { tempDir } from './temp'

/** A real engine over a private data folder, closed after the file's tests. */
export async function testEngine(options: EngineOptions = {}): Promise<Engine> {
  const engine = await createEngine({ dataDir: tempDir('imaging-engine-'), workerThreads: 2, ...options })
  afterAll(() => engine.close())
  return engine
}

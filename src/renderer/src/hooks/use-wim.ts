import { useEffect, useState } from 'react'
import type { WimDirEntry, WimSummary } from '../../../shared/wim'
import { useClient } from '../client-context'

interface Loaded<T> {
  value: T | null
  error: string | null
  loading: boolean
}

/** The summary of a WIM, loaded whenever the path changes (null: nothing opened). */
export function useWimInfo(path: string | null, version: number): Loaded<WimSummary> {
  const client = useClient()
  const [state, setState] = useState<Loaded<WimSummary> & { key: string | null }>({ value: null, error: null, loading: false, key: null })
  const key = path ? `${path}#${version}` : null
  useEffect(() => {
    if (!path) return
    let live = true
    client.api.wim.info({ path }).then(
      (value) => live && setState({ value, error: null, loading: false, key: `${path}#${version}` }),
      (e: Error) => live && setState({ value: null, error: e.message, loading: false, key: `${path}#${version}` }),
    )
    return () => {
      live = false
    }
  }, [client, path, version])
  if (!key) return { value: null, error: null, loading: false }
  return state.key === key ? state : { value: null, error: null, loading: true }
}

/** One folder of an image. */
export function useWimDir(path: string, image: number, dir: string): Loaded<WimDirEntry[]> {
  const client = useClient()
  const key = `${path}|${image}|${dir}`
  const [state, setState] = useState<Loaded<WimDirEntry[]> & { key: string }>({ value: null, error: null, loading: true, key: '' })
  useEffect(() => {
    let live = true
    client.api.wim.dir({ path, image, dir, recursive: false, limit: 100_000 }).then(
      (value) => live && setState({ value, error: null, loading: false, key }),
      (e: Error) => live && setState({ value: null, error: e.message, loading: false, key }),
    )
    return () => {
      live = false
    }
  }, [client, path, image, dir, key])
  return state.key === key ? state : { value: null, error: null, loading: true }
}

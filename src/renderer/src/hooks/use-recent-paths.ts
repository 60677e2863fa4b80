import { useState } from 'react'

const KEEP = 6

function load(key: string): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]')
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, KEEP) : []
  } catch {
    return []
  }
}

/**
 * Paths recently opened on a page, newest first, kept in this browser: with no native file
 * dialog in the headless server's browser, typing a path again is the slow part.
 */
export function useRecentPaths(key: string): { recent: string[]; remember: (path: string) => void } {
  const [recent, setRecent] = useState(() => load(key))
  const remember = (path: string): void => {
    const next = [path, ...recent.filter((r) => r !== path)].slice(0, KEEP)
    setRecent(next)
    localStorage.setItem(key, JSON.stringify(next))
  }
  return { recent, remember }
}

import { useEffect, useState } from 'react'

import { ROUTES, type Route } from './route-ids'

export type { Route }

function parse(hash: string): Route {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return (ROUTES as string[]).includes(id ?? '') ? (id as Route) : 'drives'
}

/** The current page from the URL fragment, so a page survives a reload and has a link. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parse(window.location.hash))
  useEffect(() => {
    const onHash = (): void => setRoute(parse(window.location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  return [route, (next) => (window.location.hash = `#/${next}`)]
}

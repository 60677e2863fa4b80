/** The pages of the app, in navigation order, with their titles (no DOM here: tests import it). */
export const ROUTE_TITLES = {
  drives: 'Drives',
  images: 'Images',
  media: 'Create media',
  capture: 'Capture',
  deploy: 'Deploy',
  share: 'Deployment share',
  jobs: 'Jobs',
  environment: 'Environment',
} as const

export type Route = keyof typeof ROUTE_TITLES
export const ROUTES = Object.keys(ROUTE_TITLES) as Route[]

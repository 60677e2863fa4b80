import type { EnvironmentService } from '../../platform/environment'
import type { DomainHandlers } from './types'

export function envHandlers(env: EnvironmentService): DomainHandlers<'env'> {
  return {
    'env.report': ({ refresh }) => env.report(refresh ?? false),
  }
}

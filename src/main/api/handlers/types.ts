import type { MethodName } from '../../../shared/contract'
import type { Handlers } from '../service'

/** The handlers of one domain: the methods whose name starts with `${domain}.`. */
export type DomainHandlers<D extends string> = Pick<Handlers, Extract<MethodName, `${D}.${string}`>>

/**
 * Errors that cross a process or network boundary. Every failure a front end can show is an
 * AppError with a stable code and structured details (file, offset, field, ...), so a
 * technician sees what went wrong and where, and a log can be handed to a colleague.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CANCELLED',
  'IO',
  'CORRUPT',
  'UNSUPPORTED',
  'UNSAFE_TARGET',
  'TOOL_MISSING',
  'CONFLICT',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export type ErrorDetails = Record<string, string | number | boolean | null | undefined | string[]>

export interface ErrorInfo {
  code: ErrorCode
  message: string
  details?: ErrorDetails
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails | undefined

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }

  toInfo(): ErrorInfo {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message }
  }

  static fromInfo(info: ErrorInfo): AppError {
    return new AppError(info.code, info.message, info.details)
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.message === 'string' && typeof v.code === 'string' && (ERROR_CODES as readonly string[]).includes(v.code)
}

/** Any thrown value as an ErrorInfo; unknown failures become INTERNAL with their message kept. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AppError) return error.toInfo()
  if (isErrorInfo(error)) return error
  if (error instanceof Error) {
    const errno = error as NodeLikeError
    if (typeof errno.code === 'string' && typeof errno.syscall === 'string') {
      return {
        code: errno.code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
        message: error.message,
        details: { errno: errno.code, syscall: errno.syscall, path: errno.path },
      }
    }
    if (error.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled' }
    return { code: 'INTERNAL', message: error.message }
  }
  return { code: 'INTERNAL', message: String(error) }
}

interface NodeLikeError extends Error {
  code?: unknown
  syscall?: unknown
  path?: string
}

export function formatErrorInfo(info: ErrorInfo): string {
  const details = info.details
    ? Object.entries(info.details)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
        .join(' ')
    : ''
  return details ? `${info.message} (${details})` : info.message
}

/**
 * The Content Security Policy of the UI, one definition for the Electron window (a meta tag
 * written at build time) and the headless server (a response header). Scripts come only from
 * the app itself; Mantine needs inline style attributes. The dev server's hot reload needs
 * inline scripts, so dev relaxes script-src only.
 */
export function contentSecurityPolicy(options: { dev: boolean; header?: boolean }): string {
  const directives = [
    "default-src 'self'",
    options.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    options.dev ? "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ]
  // frame-ancestors is ignored (and warned about) in a meta tag; only a header can carry it.
  if (options.header) directives.push("frame-ancestors 'none'")
  return directives.join('; ')
}

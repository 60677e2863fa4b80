/** The headless server's wire protocol, shared by the server and the browser client. */
export const HTTP_INVOKE_PATH = '/api/invoke'
export const HTTP_EVENTS_PATH = '/api/events'
export const HTTP_TOKEN_HEADER = 'X-Imaging-Token'

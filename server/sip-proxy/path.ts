/** Where the browser's SIP WebSocket is served: on the page's own origin (server/sip-proxy/plugin.ts). */
export const SIP_PATH = '/sip';

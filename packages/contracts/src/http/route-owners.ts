/**
 * Which service serves which public path. One process mounts every service on the gateway's server;
 * distributed, the gateway proxies each prefix to its owner. A service registers routes only under
 * its own prefixes (a test checks it), so the two modes serve the same API.
 */
export const ROUTE_OWNERS = [
  { prefix: '/.well-known/jwks.json', service: 'identity' },
  { prefix: '/v1/auth', service: 'identity' },
  { prefix: '/v1/me', service: 'identity' },
  { prefix: '/v1/tenants', service: 'identity' },
  { prefix: '/v1/invitations', service: 'identity' },
  { prefix: '/v1/plans', service: 'identity' },
  { prefix: '/v1/payments', service: 'identity' },
  { prefix: '/v1/api-keys', service: 'identity' },
  { prefix: '/v1/admin/users', service: 'identity' },
  { prefix: '/v1/admin/tenants', service: 'identity' },
  { prefix: '/v1/admin/plans', service: 'identity' },
  { prefix: '/v1/admin/payments', service: 'identity' },
  { prefix: '/v1/templates', service: 'content' },
  { prefix: '/v1/fonts', service: 'content' },
  { prefix: '/v1/admin/templates', service: 'content' },
  { prefix: '/v1/admin/fonts', service: 'content' },
  { prefix: '/v1/projects', service: 'studio' },
  { prefix: '/v1/files', service: 'file' },
  { prefix: '/v1/uploads', service: 'file' },
  { prefix: '/v1/blobs', service: 'file' },
  { prefix: '/v1/renders', service: 'render' },
  { prefix: '/v1/snapshots', service: 'render' },
  { prefix: '/v1/mockups', service: 'render' },
  { prefix: '/v1/voiceovers', service: 'render' },
  { prefix: '/v1/usage', service: 'render' },
  { prefix: '/v1/admin/nodes', service: 'render' },
  { prefix: '/v1/admin/queues', service: 'render' },
  { prefix: '/v1/admin/jobs', service: 'render' },
  { prefix: '/v1/notifications', service: 'notification' },
  { prefix: '/v1/webhooks', service: 'notification' },
  { prefix: '/v1/push-subscriptions', service: 'notification' },
  { prefix: '/v1/telegram', service: 'notification' },
] as const;

export type RouteOwnerService = (typeof ROUTE_OWNERS)[number]['service'];

/** The service owning `path` (longest matching prefix), or undefined for the gateway's own routes. */
export function routeOwner(path: string): RouteOwnerService | undefined {
  let best: (typeof ROUTE_OWNERS)[number] | undefined;
  for (const owner of ROUTE_OWNERS) {
    const matches =
      path === owner.prefix || path.startsWith(`${owner.prefix}/`) || path.startsWith(`${owner.prefix}?`);
    if (matches && (!best || owner.prefix.length > best.prefix.length)) best = owner;
  }
  return best?.service;
}

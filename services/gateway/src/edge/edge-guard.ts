import { HttpError, INTERNAL_PREFIX, requireInternal } from '@flatrender/platform';
import type { FastifyRequest } from 'fastify';
import { INTERNAL_HEADER_PREFIX } from '../proxy/service-proxy';

/**
 * The first hook of the public edge. Internal routes answer 404 unless the request is signed by a
 * platform process (in one process they share the public server); elsewhere, `x-flatrender-*`
 * headers are removed so that nothing from outside can pose as an internal caller.
 */
export function edgeGuard(secret: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.url.startsWith(INTERNAL_PREFIX)) {
      try {
        requireInternal(request, secret);
        return;
      } catch {
        request.principal = undefined;
        throw notFoundFor(request);
      }
    }
    for (const name of Object.keys(request.headers)) {
      if (name.startsWith(INTERNAL_HEADER_PREFIX)) delete request.headers[name];
    }
  };
}

/** The same answer as for a path that does not exist, so internal routes cannot be discovered. */
function notFoundFor(request: FastifyRequest) {
  return new HttpError(404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`);
}

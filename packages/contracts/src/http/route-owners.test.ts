import { describe, expect, it } from 'vitest';
import { ROUTE_OWNERS, routeOwner } from './route-owners';

describe('route owners', () => {
  it('finds the owner by the longest prefix, on segment boundaries only', () => {
    expect(routeOwner('/v1/projects')).toBe('studio');
    expect(routeOwner('/v1/projects/1/checks')).toBe('studio');
    expect(routeOwner('/v1/projects?page=2')).toBe('studio');
    expect(routeOwner('/v1/projectsX')).toBeUndefined();
    expect(routeOwner('/v1/admin/templates/9')).toBe('content');
    expect(routeOwner('/v1/admin/users/9/ban')).toBe('identity');
    expect(routeOwner('/v1/events/stream')).toBeUndefined();
    expect(routeOwner('/internal/jwks')).toBeUndefined();
  });

  it('lists every prefix once', () => {
    const prefixes = ROUTE_OWNERS.map((o) => o.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});

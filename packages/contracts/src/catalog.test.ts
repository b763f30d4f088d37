import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bindingsFor,
  CATALOG,
  DEFAULT_MAX_RETRIES,
  DISPATCH_KEYS,
  dispatchQueuesFor,
  EVENT_KEY_PATTERN,
  EVENT_KEYS,
  EVENTS,
  EXCHANGES,
  envelopeSchema,
  HEADER_SPECS,
  NOTIFY_CHANNELS,
  RENDER_QUEUE_ARGUMENTS,
  RENDER_QUEUES,
  REQUIRED_HEADERS,
  SERVICES,
  WEBHOOK_EVENT_KEYS,
} from './index';

// The seed catalog, copied verbatim into the package so that CI (which clones only the repository)
// checks the contracts against the same text.
const seed = readFileSync(new URL('../seed/event-catalog.txt', import.meta.url), 'utf8');

/** Lines between a heading line and the next heading among `headings`. */
function section(start: string, end: string): string[] {
  const lines = seed.split('\n').map((l) => l.trim());
  const from = lines.findIndex((l) => l.startsWith(start));
  const to = lines.findIndex((l, i) => i > from && l.startsWith(end));
  expect(from, `seed section "${start}"`).toBeGreaterThanOrEqual(0);
  expect(to, `seed section after "${start}"`).toBeGreaterThan(from);
  return lines.slice(from + 1, to).filter((l) => l.length > 0);
}

const seedEventKeys = section('Routing keys (topic exchange flatrender.events)', 'Render dispatch');
const seedRenderKeys = section(
  'Render dispatch (direct exchange flatrender.render)',
  'Each queue has priority',
).filter((l) => l.startsWith('render.queue.'));
const seedNotifyKeys = section(
  'Notification dispatch (direct exchange flatrender.notify)',
  'Dead-letter routing',
);
const seedExchanges = section('Exchanges', 'Common envelope')
  .filter((l) => l.startsWith('flatrender.'))
  .map((l) => l.split(/\s+/).slice(0, 2));
const seedHeaders = section('Headers (AMQP)', 'Routing keys')
  .filter((l) => !l.startsWith('Header '))
  .map((l) => {
    const [name, required] = l.split(/\s+/);
    return { name, required: required === 'yes' };
  });

describe('catalog matches the seed', () => {
  it('parses a plausible seed (guards the parser itself)', () => {
    expect(seedEventKeys).toHaveLength(44);
    expect(seedRenderKeys).toHaveLength(6);
    expect(seedNotifyKeys).toHaveLength(5);
    expect(seedExchanges).toHaveLength(4);
    expect(seedHeaders).toHaveLength(7);
  });

  it('holds exactly the seed event keys, in the seed order', () => {
    expect(EVENT_KEYS).toEqual(seedEventKeys);
  });

  it('holds exactly the seed dispatch keys', () => {
    expect([...RENDER_QUEUES]).toEqual(seedRenderKeys);
    expect([...NOTIFY_CHANNELS]).toEqual(seedNotifyKeys);
    expect(DISPATCH_KEYS).toEqual([...seedRenderKeys, ...seedNotifyKeys]);
    expect(Object.keys(CATALOG)).toEqual([...seedEventKeys, ...seedRenderKeys, ...seedNotifyKeys]);
  });

  it('declares the seed exchanges with their types', () => {
    expect(Object.values(EXCHANGES).map((e) => [e.name, e.type])).toEqual(seedExchanges);
  });

  it('knows every seed header with the same requirement, plus the dead-letter header', () => {
    expect(
      HEADER_SPECS.slice(0, seedHeaders.length).map((h) => ({ name: h.name, required: h.required })),
    ).toEqual(seedHeaders);
    expect([...REQUIRED_HEADERS]).toEqual(seedHeaders.filter((h) => h.required).map((h) => h.name));
    expect(HEADER_SPECS.map((h) => h.name)).toContain('x-original-routing-key');
    expect(seed).toContain('x-original-routing-key');
    expect(seed).toMatch(/x-max-retries optional Default 3/);
    expect(DEFAULT_MAX_RETRIES).toBe(3);
  });

  it('gives every render queue the seed priority argument', () => {
    expect(seed).toContain('x-max-priority: 10');
    expect(RENDER_QUEUE_ARGUMENTS).toEqual({ 'x-queue-type': 'classic', 'x-max-priority': 10 });
  });

  it('has the seed envelope fields', () => {
    const json = seed.slice(seed.indexOf('{', seed.indexOf('Common envelope')));
    const fields = [...json.slice(0, json.indexOf('}') + 1).matchAll(/"([a-z_]+)":/g)].map((m) => m[1]);
    expect(Object.keys(envelopeSchema.shape)).toEqual(fields);
  });
});

describe('naming', () => {
  const DOMAINS = ['identity', 'content', 'studio', 'render', 'node', 'file', 'notification', 'tenant'];

  it.each(EVENT_KEYS)('%s follows {domain}.{entity}.{verb}.v{n}', (key) => {
    expect(key).toMatch(EVENT_KEY_PATTERN);
    const segments = key.split('.');
    // The seed itself has keys without an entity (node.online.v1, file.uploaded.v1).
    expect(segments.length === 3 || segments.length === 4).toBe(true);
    expect(EVENTS[key].domain).toBe(segments[0]);
    expect(DOMAINS).toContain(segments[0]);
    expect(EVENTS[key].kind).toBe('event');
    expect(EVENTS[key].exchange).toBe(EXCHANGES.events.name);
  });

  it.each(DISPATCH_KEYS)('%s is an unversioned dispatch key on its exchange', (key) => {
    expect(key).not.toMatch(EVENT_KEY_PATTERN);
    const def = CATALOG[key];
    expect(def.exchange).toBe(key.startsWith('render.') ? EXCHANGES.render.name : EXCHANGES.notify.name);
  });
});

describe('producers and consumers', () => {
  it.each(Object.keys(CATALOG) as (keyof typeof CATALOG)[])('%s names known services once each', (key) => {
    const def = CATALOG[key];
    expect(def.description.length).toBeGreaterThan(20);
    expect(def.producers.length).toBeGreaterThan(0);
    for (const s of [...def.producers, ...def.consumers]) expect(SERVICES).toContain(s);
    expect(new Set(def.consumers).size).toBe(def.consumers.length);
    expect(new Set(def.producers).size).toBe(def.producers.length);
  });

  it('never makes a service consume its own events', () => {
    for (const key of EVENT_KEYS) {
      const def = EVENTS[key];
      for (const p of def.producers) expect(def.consumers, key).not.toContain(p);
    }
  });

  it('gives every dispatch queue a consumer', () => {
    for (const key of DISPATCH_KEYS) {
      expect(
        SERVICES.filter((s) => dispatchQueuesFor(s).includes(key)),
        key,
      ).not.toHaveLength(0);
    }
    expect(dispatchQueuesFor('render-node')).toEqual([...RENDER_QUEUES]);
    expect(dispatchQueuesFor('notification')).toEqual([...NOTIFY_CHANNELS]);
    expect(dispatchQueuesFor('gateway')).toEqual([]);
  });

  it('lets identity send transactional mail but nothing else of notify', () => {
    const byIdentity = DISPATCH_KEYS.filter((k) =>
      (CATALOG[k].producers as readonly string[]).includes('identity'),
    );
    expect(byIdentity).toEqual(['notify.channel.email']);
  });

  it('binds each service to the keys it consumes', () => {
    expect(bindingsFor('render-node')).toEqual(['content.font.installed.v1', 'render.job.cancelled.v1']);
    expect(bindingsFor('file')).toEqual(
      expect.arrayContaining([
        'identity.plan.activated.v1',
        'identity.plan.expired.v1',
        'render.job.completed.v1',
      ]),
    );
    expect(bindingsFor('render-orchestrator')).toEqual(
      expect.arrayContaining([
        'identity.plan.activated.v1',
        'identity.plan.expired.v1',
        'identity.tenant.suspended.v1',
        'content.template.published.v1',
        'content.font.installed.v1',
        'node.online.v1',
        'node.heartbeat.v1',
      ]),
    );
    expect(bindingsFor('notification')).toEqual(
      expect.arrayContaining([
        'identity.user.registered.v1',
        'identity.payment.succeeded.v1',
        'identity.plan.expired.v1',
        'render.job.completed.v1',
        'render.job.failed.v1',
        'file.quota_exceeded.v1',
        'identity.user.banned.v1',
      ]),
    );
    for (const service of SERVICES) {
      for (const key of bindingsFor(service)) expect(EVENTS[key].consumers).toContain(service);
    }
    const bound = new Set(SERVICES.flatMap((s) => bindingsFor(s)));
    expect(EVENT_KEYS.filter((k) => EVENTS[k].consumers.length > 0).every((k) => bound.has(k))).toBe(true);
  });

  it('has notification consume every event a webhook can subscribe to', () => {
    for (const key of WEBHOOK_EVENT_KEYS) {
      expect(EVENT_KEYS).toContain(key);
      expect(EVENTS[key].consumers).toContain('notification');
    }
  });
});

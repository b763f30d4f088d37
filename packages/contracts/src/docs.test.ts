import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ASYNCAPI_PATH, renderAsyncApiYaml } from './docs/asyncapi.generator';
import { EVENTS_MD_PATH, renderEventsMarkdown } from './docs/events-md.generator';
import { fieldTables, toJsonSchema } from './docs/json-schema';
import { CATALOG, type MessageKey, RENDER_QUEUES } from './index';

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const ALL_KEYS = Object.keys(CATALOG) as MessageKey[];
const STALE = 'generated docs are stale: run `npm run generate:contracts` and commit the result';

describe('generated documents', () => {
  it('docs/events.md is up to date', () => {
    expect(read(EVENTS_MD_PATH) === renderEventsMarkdown(), STALE).toBe(true);
  });

  it('docs/asyncapi.yaml is up to date', () => {
    expect(read(ASYNCAPI_PATH) === renderAsyncApiYaml(), STALE).toBe(true);
  });

  it('events.md has a section per key', () => {
    const md = renderEventsMarkdown();
    for (const key of ALL_KEYS) expect(md).toContain(`\n### ${key}\n`);
  });

  it('describes every payload field', () => {
    const undocumented = ALL_KEYS.flatMap((key) =>
      fieldTables(toJsonSchema(CATALOG[key].data)).flatMap((t) =>
        t.rows.filter((r) => r.description.trim() === '').map((r) => `${key}: ${r.path}`),
      ),
    );
    expect(undocumented).toEqual([]);
  });
});

describe('asyncapi.yaml', () => {
  const doc = parse(renderAsyncApiYaml());

  it('is a valid AsyncAPI 3.0.0 document', () => {
    const require = createRequire(import.meta.url);
    const schema = require('@asyncapi/specs/schemas/3.0.0-without-$id.json');
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const valid = ajv.validate(schema, doc);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc.asyncapi).toBe('3.0.0');
  });

  it('has one channel per routing key, addressed by the key', () => {
    expect(Object.keys(doc.channels)).toEqual(ALL_KEYS);
    for (const key of ALL_KEYS) {
      const channel = doc.channels[key];
      expect(channel.address).toBe(key);
      expect(channel.bindings.amqp.exchange.name).toBe(CATALOG[key].exchange);
    }
  });

  it('declares render queues with their priority argument', () => {
    for (const q of RENDER_QUEUES) {
      expect(doc.channels[q].bindings.amqp['x-queue']).toMatchObject({
        name: q,
        durable: true,
        arguments: { 'x-max-priority': 10 },
      });
    }
    expect(doc.channels['notify.channel.sms'].bindings.amqp['x-queue'].arguments).toEqual({});
  });

  it('has one send operation per producer and one receive operation per consumer', () => {
    const ops = Object.values(doc.operations) as { action: string; channel: { $ref: string } }[];
    const expected = ALL_KEYS.reduce(
      (n, k) => n + CATALOG[k].producers.length + CATALOG[k].consumers.length,
      0,
    );
    expect(ops).toHaveLength(expected);
    expect(doc.operations['identity.sends.notify.channel.email'].action).toBe('send');
    expect(doc.operations['render-node.receives.render.job.cancelled.v1'].channel.$ref).toBe(
      '#/channels/render.job.cancelled.v1',
    );
  });

  it('validates its own examples with the payload schemas', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc.components.schemas.Envelope, $id: 'Envelope' });
    for (const key of ALL_KEYS) {
      const message = doc.components.messages[key];
      const named = JSON.stringify({ ...message.payload, components: { schemas: doc.components.schemas } });
      const schema = JSON.parse(named.replaceAll('#/components/schemas/Envelope', 'Envelope'));
      const validate = ajv.compile(schema);
      expect(validate(message.examples[0].payload), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate({ ...message.examples[0].payload, event_type: 'other.key.v1' })).toBe(false);
    }
  });
});

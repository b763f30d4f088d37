import { describe, expect, it } from 'vitest';
import {
  CATALOG,
  type MessageKey,
  PLATFORM_TENANT_ID,
  SYSTEM_USER_ID,
  TRANSACTIONAL_KINDS,
  validateMessage,
} from './index';
import { SAMPLE_IDS, sampleData, sampleEnvelope } from './testing/sample-messages';

const ALL_KEYS = Object.keys(CATALOG) as MessageKey[];

function expectRefused(key: MessageKey, body: unknown, fragment: string | RegExp): void {
  const result = validateMessage(key, body);
  expect(result.ok, `${key} should be refused`).toBe(false);
  if (!result.ok) expect(result.error).toMatch(fragment);
}

/** A value of another JSON type than `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (value === null) return 12345;
  return 'not-the-right-type';
}

describe('every message', () => {
  it.each(ALL_KEYS)('%s: its sample validates', (key) => {
    const result = validateMessage(key, sampleEnvelope(key));
    expect(result.ok ? 'ok' : result.error).toBe('ok');
  });

  it.each(ALL_KEYS)('%s: a field of the wrong type is refused with its path', (key) => {
    const data = sampleData(key) as Record<string, unknown>;
    const field = Object.keys(data).find((f) => !['source', 'status', 'channel'].includes(f)) as string;
    data[field] = wrongType(data[field]);
    expectRefused(key, { ...sampleEnvelope(key), data }, new RegExp(`^data: ${field}: `));
  });

  it.each(ALL_KEYS)('%s: an unknown field is refused (strict data)', (key) => {
    const envelope = sampleEnvelope(key);
    expectRefused(key, { ...envelope, data: { ...envelope.data, surprise: true } }, /surprise/);
  });

  it.each(ALL_KEYS)('%s: a missing required field is refused with its path', (key) => {
    const data = sampleData(key) as Record<string, unknown>;
    const field = Object.keys(data).at(-1) as string;
    delete data[field];
    expectRefused(key, { ...sampleEnvelope(key), data }, new RegExp(`data: ${field}: `));
  });

  it.each(ALL_KEYS)('%s: is refused under another routing key', (key) => {
    expectRefused(
      key,
      { ...sampleEnvelope(key), event_type: 'identity.user.registered.v0' },
      /does not match/,
    );
  });
});

describe('envelope', () => {
  it('refuses unknown routing keys and broken envelopes', () => {
    expect(
      validateMessage('identity.user.deleted.v1', sampleEnvelope('identity.user.registered.v1')),
    ).toEqual({
      ok: false,
      error: 'unknown routing key "identity.user.deleted.v1"',
    });
    const { tenant_id: _, ...withoutTenant } = sampleEnvelope('render.job.progress.v1');
    expectRefused('render.job.progress.v1', withoutTenant, /^envelope: tenant_id: /);
    expectRefused(
      'render.job.progress.v1',
      { ...sampleEnvelope('render.job.progress.v1'), event_id: 'not-a-uuid' },
      /^envelope: event_id: /,
    );
  });

  it('returns the parsed envelope', () => {
    const envelope = sampleEnvelope('render.job.completed.v1');
    const result = validateMessage('render.job.completed.v1', envelope);
    expect(result).toEqual({ ok: true, envelope });
  });
});

describe('nested rules', () => {
  it('refuses a blob key escaping its prefix, with the nested path', () => {
    const data = sampleData('render.queue.vip');
    data.template.source = { type: 'blob', blob_key: 'templates/../../etc/passwd' };
    expectRefused(
      'render.queue.vip',
      { ...sampleEnvelope('render.queue.vip'), data },
      /^data: template\.source\.blob_key: /,
    );
    data.template.source = { type: 'blob', blob_key: '/etc/passwd' };
    expectRefused(
      'render.queue.vip',
      { ...sampleEnvelope('render.queue.vip'), data },
      /template\.source\.blob_key/,
    );
  });

  it('accepts an inline template document', () => {
    const envelope = sampleEnvelope('render.queue.paid', {
      data: {
        template: {
          ...sampleData('render.queue.paid').template,
          source: { type: 'inline', document: { id: 'nowruz-greeting', engine: 1, scenes: [] } },
        },
      },
    });
    expect(validateMessage('render.queue.paid', envelope).ok).toBe(true);
  });

  it('refuses an empty or inverted frame range and an index beyond the count', () => {
    const key = 'render.queue.preview';
    expectRefused(
      key,
      sampleEnvelope(key, { data: { frame_start: 150, frame_end: 150 } }),
      /data: frame_end: /,
    );
    expectRefused(
      key,
      sampleEnvelope(key, { data: { chunk_index: 2, chunk_count: 2 } }),
      /data: chunk_index: /,
    );
  });

  it('refuses unknown fields in nested objects', () => {
    const data = sampleData('node.heartbeat.v1');
    data.leases = [{ ...data.leases[0]!, extra: 1 } as (typeof data.leases)[number]];
    expectRefused(
      'node.heartbeat.v1',
      { ...sampleEnvelope('node.heartbeat.v1'), data },
      /data: leases\.0: .*extra/,
    );
  });

  it('requires the verification token exactly when the email is not verified', () => {
    const key = 'identity.user.registered.v1';
    expectRefused(key, sampleEnvelope(key, { data: { email_verified: true } }), /data: verification: /);
    expectRefused(key, sampleEnvelope(key, { data: { verification: null } }), /data: verification: /);
    expect(
      validateMessage(key, sampleEnvelope(key, { data: { email_verified: true, verification: null } })).ok,
    ).toBe(true);
  });

  it('refuses field values the engine cannot take', () => {
    const key = 'studio.project.saved.v1';
    expectRefused(key, sampleEnvelope(key, { data: { values: { 'a.b.c': 'too deep' } } }), /data: values/);
    expectRefused(
      key,
      sampleEnvelope(key, { data: { values: { logo: { asset: 'not-a-hash' } } as never } }),
      /data: values\.logo/,
    );
    expect(
      validateMessage(
        key,
        sampleEnvelope(key, { data: { values: { 'chart.rows': [{ label: 'x', value: 3 }] } } }),
      ).ok,
    ).toBe(true);
  });

  it('checks money and sizes are whole numbers', () => {
    expectRefused(
      'identity.payment.succeeded.v1',
      sampleEnvelope('identity.payment.succeeded.v1', { data: { amount: 10.5 } }),
      /data: amount: /,
    );
    expectRefused(
      'file.uploaded.v1',
      sampleEnvelope('file.uploaded.v1', { data: { size_bytes: -1 } }),
      /data: size_bytes/,
    );
  });
});

describe('notify dispatch', () => {
  const transactional = {
    source: 'transactional' as const,
    idempotency_key: `account.password_reset:${SAMPLE_IDS.invitation}:email`,
    locale: 'en' as const,
    channel: 'email' as const,
    recipient: { email: 'sara@example.com', name: null },
    recipient_user_id: SAMPLE_IDS.user,
    template: {
      kind: 'account.password_reset' as const,
      params: {
        display_name: 'Sara',
        token: 'k3Jd9sQ2xV8mN4pL7tR1wZ6yB5cF0gH2jK4lM6nP8qS',
        expires_at: '2026-05-27T11:15:00.000Z',
      },
    },
  };

  it('accepts transactional mail from identity beside stored notifications', () => {
    const envelope = { ...sampleEnvelope('notify.channel.email'), producer: 'identity', data: transactional };
    expect(validateMessage('notify.channel.email', envelope)).toMatchObject({ ok: true });
    expect(TRANSACTIONAL_KINDS).toEqual([
      'account.verify_email',
      'account.password_reset',
      'team.invitation',
    ]);
  });

  it('checks the params of each transactional template', () => {
    const invitation = {
      ...transactional,
      template: { kind: 'team.invitation', params: transactional.template.params },
    };
    expectRefused(
      'notify.channel.email',
      { ...sampleEnvelope('notify.channel.email'), data: invitation },
      /data: template\.params\.(invitation_id|tenant_name|inviter_name|role|display_name)/,
    );
    const owner = {
      ...transactional,
      template: {
        kind: 'team.invitation',
        params: {
          invitation_id: SAMPLE_IDS.invitation,
          token: transactional.template.params.token,
          expires_at: transactional.template.params.expires_at,
          tenant_name: 'Acme',
          inviter_name: 'Reza',
          role: 'owner',
        },
      },
    };
    expectRefused(
      'notify.channel.email',
      { ...sampleEnvelope('notify.channel.email'), data: owner },
      /template\.params\.role/,
    );
  });

  it('refuses a stored email without rendered content', () => {
    const { content: _, ...withoutContent } = sampleData('notify.channel.email') as Record<string, unknown>;
    expectRefused(
      'notify.channel.email',
      { ...sampleEnvelope('notify.channel.email'), data: withoutContent },
      /data: content/,
    );
  });

  it('delivers webhooks only for subscribable events, to http(s) URLs', () => {
    const data = sampleData('notify.channel.webhook');
    expectRefused(
      'notify.channel.webhook',
      {
        ...sampleEnvelope('notify.channel.webhook'),
        data: { ...data, event: { ...data.event, event_type: 'identity.user.registered.v1' } },
      },
      /data: event\.event_type/,
    );
    expectRefused(
      'notify.channel.webhook',
      { ...sampleEnvelope('notify.channel.webhook'), data: { ...data, url: 'file:///etc/passwd' } },
      /data: url/,
    );
  });

  it('refuses a phone number outside E.164', () => {
    const data = sampleData('notify.channel.sms');
    expectRefused(
      'notify.channel.sms',
      { ...sampleEnvelope('notify.channel.sms'), data: { ...data, recipient: { phone: '09121234567' } } },
      /data: recipient\.phone/,
    );
  });
});

describe('sampleEnvelope', () => {
  it('gives fresh ids, applies overrides and merges data', () => {
    const a = sampleEnvelope('render.job.failed.v1');
    const b = sampleEnvelope('render.job.failed.v1', {
      tenant_id: SAMPLE_IDS.admin,
      data: { error_code: 'timeout', retryable: true },
    });
    expect(a.event_id).not.toBe(b.event_id);
    expect(b.tenant_id).toBe(SAMPLE_IDS.admin);
    expect(b.data.error_code).toBe('timeout');
    expect(b.data.job_id).toBe(a.data.job_id);
    expect(a.producer).toBe('render-orchestrator');
    expect(validateMessage('render.job.failed.v1', b).ok).toBe(true);
  });

  it('puts node events on the platform tenant, caused by no user', () => {
    const envelope = sampleEnvelope('node.heartbeat.v1');
    expect(envelope.tenant_id).toBe(PLATFORM_TENANT_ID);
    expect(envelope.user_id).toBe(SYSTEM_USER_ID);
  });

  it('hands out copies: mutating one sample does not change the next', () => {
    const first = sampleEnvelope('node.heartbeat.v1');
    first.data.leases.length = 0;
    expect(sampleEnvelope('node.heartbeat.v1').data.leases).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { listenPort } from './platform-process';

describe('listenPort', () => {
  it('gives a process serving one service the port the others call it on by default', () => {
    expect(listenPort(['identity'], 8080, {})).toBe(8081);
    expect(listenPort(['render'], 8080, {})).toBe(8085);
    expect(listenPort(['notification'], 8080, {})).toBe(8086);
  });

  it('keeps PORT for the gateway, the whole platform, and whenever PORT is set', () => {
    expect(listenPort(['gateway'], 8080, {})).toBe(8080);
    expect(listenPort(['identity', 'gateway', 'render'], 8080, {})).toBe(8080);
    expect(listenPort(['identity'], 9001, { PORT: '9001' })).toBe(9001);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigSections, staleFiles } from './config-docs';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The config sections each FlatRender container of the compose file reads, besides `platform`. */
const SECTIONS_OF: Record<string, readonly string[]> = {
  'init-db': [],
  gateway: ['gateway'],
  identity: ['identity'],
  content: ['content'],
  studio: ['studio'],
  file: ['file'],
  render: ['render'],
  notification: ['notification'],
  'node-1': ['render-node'],
  'node-2': ['render-node'],
};

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, unknown>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
}

async function compose(): Promise<{ services: Record<string, ComposeService> }> {
  return parse(await readFile(path.join(ROOT, 'deploy', 'docker-compose.yml'), 'utf8'), { merge: true });
}

describe('generated configuration reference', () => {
  it('docs/configuration.md and deploy/.env.example match the defineConfig sections (npm run generate:config-docs)', async () => {
    expect(await staleFiles()).toEqual([]);
  });
});

describe('deploy/docker-compose.yml', () => {
  it('runs every service, two render nodes and the web app from the FlatRender image', async () => {
    const { services } = await compose();
    const commands = Object.values(services)
      .filter((s) => s.image?.startsWith('${FLATRENDER_IMAGE'))
      .map((s) => (s.command ?? []).join(' '));
    const served = (await readdir(path.join(ROOT, 'services'))).filter((s) => s !== 'render-node');
    for (const service of served) expect(commands).toContain(`serve ${service}`);
    expect(commands.filter((c) => c === 'node')).toHaveLength(2);
    expect(commands).toContain('web');
    expect(commands).toContain('init-db');
  });

  it('gives each FlatRender container every platform setting and every setting of its section', async () => {
    const { services } = await compose();
    const sections = new Map((await loadConfigSections()).map((s) => [s.name, s.fields.map((f) => f.env)]));
    for (const [name, extra] of Object.entries(SECTIONS_OF)) {
      const environment = Object.keys(services[name]?.environment ?? {});
      for (const section of ['platform', ...extra]) {
        const missing = (sections.get(section) ?? []).filter((v) => !environment.includes(v));
        expect({ service: name, section, missing }).toEqual({ service: name, section, missing: [] });
      }
    }
  });

  it('starts services only after the servers are healthy and init-db has finished', async () => {
    const { services } = await compose();
    for (const name of Object.keys(SECTIONS_OF).filter((n) => n !== 'init-db')) {
      const after = services[name]?.depends_on ?? {};
      expect(after['init-db']?.condition).toBe('service_completed_successfully');
      expect(after.rabbitmq?.condition).toBe('service_healthy');
      expect(after['minio-init']?.condition).toBe('service_completed_successfully');
    }
    for (const server of ['postgres', 'rabbitmq', 'redis', 'minio'])
      expect(services[server]?.healthcheck).toBeDefined();
  });
});

describe('deploy/Dockerfile', () => {
  it('copies the package.json of every workspace before npm ci', async () => {
    const dockerfile = await readFile(path.join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
    const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    const firstCi = dockerfile.search(/^\s+npm ci /m);
    for (const pattern of root.workspaces) {
      const parent = pattern.replace(/\/\*$/, '');
      for (const dir of await readdir(path.join(ROOT, parent))) {
        const manifest = `${parent}/${dir}/package.json`;
        const at = dockerfile.indexOf(`COPY ${manifest} `);
        expect({ manifest, copiedBeforeNpmCi: at >= 0 && at < firstCi }).toEqual({
          manifest,
          copiedBeforeNpmCi: true,
        });
      }
    }
  });
});

import type { ServiceDefinition, ServiceName } from '@flatrender/platform';

/**
 * The services of this build, loaded on demand so a process pays only for what it runs. Listed in
 * start order for one process: the gateway's routes first, render nodes last.
 */
const loaders: Partial<Record<ServiceName, () => Promise<ServiceDefinition>>> = {
  gateway: async () => (await import('@flatrender/gateway')).gatewayService,
  identity: async () => (await import('@flatrender/identity')).identityService,
  content: async () => (await import('@flatrender/content')).contentService,
  file: async () => (await import('@flatrender/file')).fileService,
  studio: async () => (await import('@flatrender/studio')).studioService,
  render: async () => (await import('@flatrender/render')).renderService,
  notification: async () => (await import('@flatrender/notification')).notificationService,
  'render-node': async () => (await import('@flatrender/render-node')).renderNodeService,
};

export const AVAILABLE_SERVICES = Object.keys(loaders) as ServiceName[];

export function loadService(name: ServiceName): Promise<ServiceDefinition> {
  const load = loaders[name];
  if (!load)
    throw new Error(
      `the ${name} service is not part of this build (available: ${AVAILABLE_SERVICES.join(', ')})`,
    );
  return load();
}

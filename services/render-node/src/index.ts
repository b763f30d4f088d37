import path from 'node:path';
import { defineService, type ServiceDefinition } from '@flatrender/platform';
import { type CacheChange, ContentCache } from './cache/content-cache';
import { TemplateStore } from './cache/template.store';
import { loadNodeId } from './node-identity';
import { OrchestratorClient } from './orchestrator.client';
import { RenderNode } from './render-node';
import { readRenderNodeConfig } from './render-node.config';

export { RenderNode } from './render-node';
export { type RenderNodeConfig, readRenderNodeConfig, renderNodeConfigShape } from './render-node.config';

export interface RenderNodeServiceOptions {
  /** Where the node's own settings are read (NODE_QUEUES, NODE_SLOTS...); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Receives the running node (tests and the CLI look at it). */
  onStarted?: (node: RenderNode) => void;
}

/**
 * The render node (`flatrender node`, and one node inside `flatrender start`). It owns no schema: the
 * orchestrator's rows are the truth, and the node works from the messages of its queues, its cache and
 * the orchestrator's internal routes.
 */
export function createRenderNodeService(options: RenderNodeServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'render-node',
    setup: async (ctx) => {
      const config = readRenderNodeConfig(options.env);
      const dataDir = path.resolve(ctx.config.dataDir);
      const nodeId = await loadNodeId(dataDir);
      let node: RenderNode | undefined;
      const cache = await ContentCache.open({
        dir: path.resolve(config.cacheDir ?? path.join(dataDir, 'node-cache')),
        capacityBytes: config.cacheMaxBytes,
        source: ctx.blobs,
        onChange: (change: CacheChange) => node?.cacheChanged(change),
      });
      node = new RenderNode({
        ctx,
        config,
        nodeId,
        cache,
        templates: new TemplateStore(cache),
        client: new OrchestratorClient(ctx.internal, nodeId),
        workDir: path.resolve(config.workDir ?? path.join(dataDir, 'node-work')),
      });
      const running = node;
      return {
        start: async () => {
          await running.start();
          options.onStarted?.(running);
        },
        stop: () => running.stop(),
      };
    },
  });
}

export const renderNodeService = createRenderNodeService();

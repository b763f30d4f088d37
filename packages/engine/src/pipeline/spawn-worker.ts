import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module URL. A `.ts` worker gets tsx registered inside the thread before
 * its module loads: on Node 20.20, `execArgv: ['--import', 'tsx']` does not apply to the worker's own
 * entry module (it fails with ERR_UNKNOWN_FILE_EXTENSION), so the entry is a tiny bootstrap instead.
 * tsx is resolved here, from this package, so the worker finds it whatever the process's cwd is.
 */
export function spawnWorker(moduleUrl: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { (tsx.register ?? tsx.default.register)(); ` +
    `return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

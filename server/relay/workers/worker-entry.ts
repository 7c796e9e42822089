/**
 * Where the forwarding worker's code is: beside this file, as JavaScript once
 * built; run from TypeScript source (tests, benchmarks, `tsx`), the worker
 * loads it through tsx, as its parent does.
 */
export function forwardingWorkerEntry(): { url: URL; execArgv: string[] } {
  if (import.meta.url.endsWith('.ts')) return { url: new URL('./forwarding-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
  return { url: new URL('./forwarding-worker.js', import.meta.url), execArgv: [] };
}

/**
 * Node's built-in modules that only some runs need, loaded on first use.
 *
 * A static import loads a module when gomod-dl starts, and the `#!` line's V8 flag keeps Node's
 * built-ins from its own code cache, so each is compiled from source (README, Performance): with
 * that flag, requiring the built-ins the bundle imports took 18-25 ms, without zlib, tls, the
 * streams' promises, worker_threads and perf_hooks 10-19 ms (in-process clock). A warm run loads 59
 * built-ins instead of 80; end to end the difference stayed inside this VM's noise.
 */
import { createRequire } from 'node:module';

const nodeRequire = createRequire(import.meta.url);

/** A getter for built-in `id` (`node:zlib`…), loading it the first time it is called. */
export function lazyBuiltin<T>(id: `node:${string}`): () => T {
  let m: T | undefined;
  return () => (m ??= nodeRequire(id) as T);
}

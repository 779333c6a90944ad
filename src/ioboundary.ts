/**
 * The boundary where file-system errors leave the cache layer: every method of the wrapped object
 * that fails with a Node system error fails instead with the same error in go's words
 * (`mkdir <path>: not a directory`, `open <path>: permission denied`; see internal/goerrno.ts), so
 * the resolver and the downloader, which build messages from error texts, name the file as go does.
 * The module is added at the command's edge (run.ts).
 */
import { toGoPathError } from './internal/goerrno.js';

function reword(err: unknown): never {
  throw toGoPathError(err) ?? err;
}

/** `target` with its methods' file-system errors reworded; properties pass through unchanged. */
export function withGoIoErrors<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, prop) {
      const v: unknown = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]): unknown => {
        try {
          const r: unknown = (v as (...a: unknown[]) => unknown).apply(t, args);
          return r instanceof Promise ? r.catch(reword) : r;
        } catch (err) {
          return reword(err);
        }
      };
    },
  });
}

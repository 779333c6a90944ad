/**
 * Loading the module graph from a set of roots: each node's go.mod is read (in parallel, with a
 * bound), and a node's requirements are followed only when pruning allows it.
 *
 * - unpruned: every requirement of every loaded module is loaded (the full transitive closure of
 *   every version mentioned);
 * - pruned: the roots are loaded; a loaded module's requirements are followed only if its own
 *   go.mod is below go 1.17, and then unpruned all the way down;
 * - workspace: like pruned, from the workspace modules, and then the requirements of modules
 *   whose selected version rose are reloaded until nothing changes.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/buildlist.go (readModGraph, ModuleGraph)
 */
import { BuildListError } from './errors.js';
import { Graph } from './mvsgraph.js';
import { modCompare, mvKey, type ModuleVersion } from './modver.js';
import type { ModSummary, Pruning, SummaryLoader } from './summary.js';

/** A bounded queue of async tasks with a way to wait until it is empty (go's par.Queue). */
class WorkQueue {
  private running = 0;
  private readonly waiting: (() => Promise<void>)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  add(task: () => Promise<void>): void {
    this.waiting.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.running++;
      void task()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
    if (this.running === 0 && this.waiting.length === 0) {
      const ws = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of ws) w();
    }
  }

  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

/** The loaded graph of one set of roots, with the errors met while loading it. */
export class ModuleGraph {
  readonly g: Graph;
  /** Load results by module version: the summary or the error. */
  readonly loaded = new Map<string, { summary?: ModSummary; err?: Error }>();

  constructor(roots: readonly ModuleVersion[]) {
    this.g = new Graph(roots);
  }

  selected(path: string): string {
    return this.g.selectedVersion(path);
  }

  requiredBy(m: ModuleVersion): readonly ModuleVersion[] | undefined {
    return this.g.requiredBy(m);
  }

  /** Main module(s) first, then every selected module sorted by path (`go` and `toolchain` included). */
  buildList(): ModuleVersion[] {
    return this.g.buildList();
  }

  /** The first load error, breadth-first, wrapped with its requirement path. */
  findError(): BuildListError | undefined {
    const stack = this.g.findPath((m) => this.loaded.get(mvKey(m))?.err !== undefined);
    if (stack === undefined) return undefined;
    return new BuildListError(this.loaded.get(mvKey(stack[stack.length - 1]!))!.err!, stack);
  }
}

/**
 * Reads the module graph from `roots`. In a single-module run `main` is the main module (its
 * requirements are the roots); in a workspace the roots are the workspace modules themselves.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/buildlist.go (readModGraph)
 */
export async function readModGraph(
  loader: SummaryLoader,
  pruning: Pruning,
  roots: readonly ModuleVersion[],
  concurrency: number,
): Promise<{ mg: ModuleGraph; err: BuildListError | undefined }> {
  const mm = loader.mainModules;
  const mg = new ModuleGraph(mm.inWorkspace ? roots : mm.versions());
  if (pruning !== 'workspace') mg.g.require(mm.versions()[0]!, roots);

  const queue = new WorkQueue(Math.max(1, concurrency));
  const loading = new Set<string>();
  const loadOnce = new Map<string, Promise<ModSummary | undefined>>();

  const loadOne = (m: ModuleVersion): Promise<ModSummary | undefined> => {
    const k = mvKey(m);
    let p = loadOnce.get(k);
    if (p === undefined) {
      p = loader.goModSummary(m).then(
        (summary) => {
          mg.loaded.set(k, { summary });
          mg.g.require(m, summary.require);
          return summary;
        },
        (err: unknown) => {
          mg.loaded.set(k, { err: err as Error });
          return undefined;
        },
      );
      loadOnce.set(k, p);
    }
    return p;
  };

  const enqueue = (m: ModuleVersion, p: Pruning): void => {
    if (m.version === 'none') return;
    const dk = `${mvKey(m)}\x00${p}`;
    if (loading.has(dk)) return;
    loading.add(dk);
    queue.add(async () => {
      const summary = await loadOne(m);
      if (summary === undefined) return;
      // A module below go 1.17 does not list everything it needs: follow its requirements, and
      // once unpruned, stay unpruned all the way down.
      const next: Pruning = p === 'unpruned' ? 'unpruned' : summary.pruning;
      for (const r of summary.require) {
        if (p !== 'pruned' || summary.pruning === 'unpruned') enqueue(r, next);
      }
    });
  };

  for (const m of roots) enqueue(m, pruning);
  await queue.idle();

  if (pruning === 'workspace') {
    // Dependencies of workspace modules that are not at their selected versions are reloaded at the
    // selected version, since any of them may provide packages in "all".
    const hasDepsInAll = new Set(roots.map((m) => m.path));
    const seen = new Set<string>();
    for (;;) {
      const needs = new Map<string, ModuleVersion>();
      for (const p of hasDepsInAll) {
        const m = { path: p, version: mg.selected(p) };
        if (!seen.has(mvKey(m))) {
          needs.set(mvKey(m), m);
          continue;
        }
        for (const r of mg.requiredBy(m) ?? []) {
          const s = { path: r.path, version: mg.selected(r.path) };
          if (modCompare(r.path, s.version, r.version) > 0 && !seen.has(mvKey(s))) needs.set(mvKey(s), s);
        }
      }
      if (needs.size === 0) break;
      for (const m of needs.values()) {
        enqueue(m, 'workspace');
        seen.add(mvKey(m));
        hasDepsInAll.add(m.path);
      }
      await queue.idle();
    }
  }

  return { mg, err: mg.findError() };
}

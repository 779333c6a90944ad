/**
 * The requirement graph and minimal version selection: each path's selected version is the highest
 * version any node requires (gover.ModCompare; a main module's `""` is highest of all).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/mvs/graph.go
 */
import { InternalError } from '../internal/errors.js';
import { cmpVersion, modSort, mvKey, type ModuleVersion } from './modver.js';

/** An incrementally built requirement graph (go's mvs.Graph). */
export class Graph {
  private readonly required = new Map<string, readonly ModuleVersion[]>();
  /** true for roots, false for reachable non-roots. */
  private readonly isRoot = new Map<string, boolean>();
  private readonly selected = new Map<string, string>();

  constructor(readonly roots: readonly ModuleVersion[]) {
    for (const m of roots) {
      this.isRoot.set(mvKey(m), true);
      if (cmpVersion(m.path, this.selectedVersion(m.path), m.version) < 0) this.selected.set(m.path, m.version);
    }
  }

  /** Records the requirements of `m`, which must be reachable and not yet recorded. */
  require(m: ModuleVersion, reqs: readonly ModuleVersion[]): void {
    const k = mvKey(m);
    if (!this.isRoot.has(k)) throw new InternalError(`internal error: ${m.path}@${m.version} is not reachable from any root`);
    if (this.required.has(k)) throw new InternalError(`internal error: requirements of ${m.path}@${m.version} have already been set`);
    this.required.set(k, reqs);
    for (const dep of reqs) {
      const dk = mvKey(dep);
      if (!this.isRoot.has(dk)) this.isRoot.set(dk, false);
      if (cmpVersion(dep.path, this.selectedVersion(dep.path), dep.version) < 0) this.selected.set(dep.path, dep.version);
    }
  }

  /** The requirements of `m`, or undefined when they were not loaded (pruned out or failed). */
  requiredBy(m: ModuleVersion): readonly ModuleVersion[] | undefined {
    return this.required.get(mvKey(m));
  }

  /** The selected version of `path`, or `none`. */
  selectedVersion(path: string): string {
    return this.selected.get(path) ?? 'none';
  }

  /** Roots first (each path once, at its selected version), then every other path sorted. */
  buildList(): ModuleVersion[] {
    const seenRoot = new Set<string>();
    const list: ModuleVersion[] = [];
    for (const r of this.roots) {
      if (seenRoot.has(r.path)) continue;
      const v = this.selectedVersion(r.path);
      if (v !== 'none') list.push({ path: r.path, version: v });
      seenRoot.add(r.path);
    }
    const rest: ModuleVersion[] = [];
    for (const [path, version] of this.selected) if (!seenRoot.has(path)) rest.push({ path, version });
    return list.concat(modSort(rest));
  }

  /** Every module version other than `none` in the graph, breadth-first from the roots. */
  walkBreadthFirst(f: (m: ModuleVersion) => void): void {
    const queue: ModuleVersion[] = [];
    const enqueued = new Set<string>();
    for (const m of this.roots) {
      if (m.version !== 'none' && !enqueued.has(mvKey(m))) {
        queue.push(m);
        enqueued.add(mvKey(m));
      }
    }
    for (let i = 0; i < queue.length; i++) {
      const m = queue[i]!;
      f(m);
      for (const r of this.requiredBy(m) ?? []) {
        const k = mvKey(r);
        if (!enqueued.has(k) && r.version !== 'none') {
          queue.push(r);
          enqueued.add(k);
        }
      }
    }
  }

  /** The shortest requirement path from a root to the first node (breadth-first) satisfying `f`. */
  findPath(f: (m: ModuleVersion) => boolean): ModuleVersion[] | undefined {
    const firstRequires = new Map<string, ModuleVersion | null>();
    const queue: ModuleVersion[] = [...this.roots];
    for (const m of this.roots) firstRequires.set(mvKey(m), null);
    for (let i = 0; i < queue.length; i++) {
      let m: ModuleVersion | null = queue[i]!;
      if (f(m)) {
        const path: ModuleVersion[] = [];
        while (m !== null) {
          path.push(m);
          m = firstRequires.get(mvKey(m)) ?? null;
        }
        return path.reverse();
      }
      for (const r of this.requiredBy(m) ?? []) {
        if (!firstRequires.has(mvKey(r))) {
          queue.push(r);
          firstRequires.set(mvKey(r), m);
        }
      }
    }
    return undefined;
  }
}

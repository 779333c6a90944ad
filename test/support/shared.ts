/**
 * Where ../shared lies: beside the repository root (CI lays a copy of shared/ there). GOMODDL_SHARED
 * overrides it.
 */
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/test/support/). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The shared folder beside the repository. */
export const SHARED_DIR = process.env.GOMODDL_SHARED ?? fileURLToPath(new URL('../../../../shared/', import.meta.url));
/** Real projects' go.mod / go.sum files, one folder per project. */
export const CORPUS_DIR = `${SHARED_DIR.replace(/\/$/, '')}/corpus`;

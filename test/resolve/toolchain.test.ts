import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolchainModule } from '../../src/resolve/toolchain.js';

// go's Select: the newer of the toolchain line and the go line; a language version means its .0 release.
// https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/toolchain/select.go
test('the toolchain module is named by the newer of the toolchain and go lines', () => {
  const v = (go: string | undefined, tc: string | undefined): string | undefined => toolchainModule(go, tc, 'linux', 'arm64')?.version;
  assert.equal(v('1.22.3', 'go1.23.1'), 'v0.0.1-go1.23.1.linux-arm64');
  assert.equal(v('1.24.0', 'go1.23.1'), 'v0.0.1-go1.24.0.linux-arm64');
  assert.equal(v('1.22', undefined), 'v0.0.1-go1.22.0.linux-arm64');
  assert.equal(v('1.21rc2', undefined), 'v0.0.1-go1.21rc2.linux-arm64');
  assert.equal(v('1.20', undefined), 'v0.0.1-go1.20.linux-arm64');
  assert.equal(v('1.22.1', 'default'), 'v0.0.1-go1.22.1.linux-arm64');
  assert.equal(v(undefined, undefined), undefined);
  assert.equal(toolchainModule('1.22.1', undefined, 'linux', 'amd64')?.path, 'golang.org/toolchain');
});

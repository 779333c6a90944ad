/**
 * `-json` output: one object per module, exactly as `go mod download -json` prints it
 * (json.MarshalIndent with a tab, HTML-escaped, omitempty fields, a newline after each object).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modcmd/download.go (ModuleJSON)
 */
import { marshalIndent, type JsonValue } from '../internal/gojson.js';
import type { ModuleJSON } from '../modfetch/index.js';

/** Field order of go's ModuleJSON; every field is omitempty. */
const FIELDS = [
  'Path',
  'Version',
  'Query',
  'Error',
  'Info',
  'GoMod',
  'Zip',
  'Dir',
  'Sum',
  'GoModSum',
  'Origin',
  'Reuse',
] as const;

/** The text go prints on stdout for one module under `-json`, trailing newline included. */
export function formatModuleJson(m: ModuleJSON): string {
  const obj: Record<string, JsonValue> = {};
  for (const f of FIELDS) {
    const v = m[f];
    if (v === undefined || v === '' || v === false || v === null) continue;
    obj[f] = v as JsonValue;
  }
  return marshalIndent(obj, '', '\t') + '\n';
}

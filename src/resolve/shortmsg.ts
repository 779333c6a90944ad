/**
 * go's ShortMessage: a go.mod string (retraction rationale, deprecation) made safe for a terminal.
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/go/internal/modload/modfile.go (ShortMessage)
 */
import { isPrint } from '../internal/gostrconv.js';

/** The first line, trimmed; a default when empty; a fixed text when too long or unprintable. */
export function shortMessage(message: string, emptyDefault: string): string {
  const i = message.indexOf('\n');
  if (i >= 0) message = message.slice(0, i);
  message = message.trim();
  if (message === '') return emptyDefault;
  if (new TextEncoder().encode(message).length > 500) return '(message omitted: too long)';
  for (const ch of message) {
    const r = ch.codePointAt(0)!;
    // unicode.IsGraphic || unicode.IsSpace: graphic is printable plus the Zs spaces.
    if (!isPrint(r) && !/\s/u.test(ch)) return '(message omitted: contains non-printable characters)';
  }
  return message;
}

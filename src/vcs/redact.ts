/**
 * Credential redaction for everything the vcs layer prints: a password in a URL (`https://user:secret@host`)
 * becomes `xxxxx`, as Go's url.Redacted does; a user-only token (`https://ghp_token@github.com`) is
 * redacted too, because git insteadOf recipes put tokens in the user part (but not ssh's login name).
 *
 * go prints repository URLs as given (only its web requests use Redacted); gomod-dl never prints a
 * secret, so URLs in git command lines, errors and Origin-free messages all pass through here.
 * The `.info` files and -json Origin keep go's exact URL (the go-import URL, which carries no
 * credentials in any sane setup).
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/net/url/url.go (Redacted)
 */

const URL_WITH_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/@\s'"]+)@/g;

/** ssh's schemes: authentication is by key, so the user part is a login name (`git`), never a token. */
const SSH_SCHEME = /^(?:ssh|git\+ssh|ssh\+git):\/\/$/i;

/**
 * `text` with the userinfo of every URL in it redacted. A bare user part of an ssh URL stays, as
 * go prints it: `ssh://git@host/repo`, the form every ssh go-import and insteadOf recipe uses.
 */
export function redactUrls(text: string): string {
  return text.replace(URL_WITH_USERINFO, (m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:xxxxx@`;
    if (SSH_SCHEME.test(scheme)) return m;
    // A bare user part is how tokens are usually embedded (`https://<token>@github.com/`).
    return `${scheme}xxxxx@`;
  });
}

/**
 * The text of `gomod-dl --help`, written by hand so that it wraps at 80 columns and says everything a
 * person needs without Go's documentation at hand. README.md's Usage section lists the same flags,
 * environment variables and exit codes (test/cli/help.test.ts checks both ways).
 */

/** The one-line usage, also printed after usage errors. */
export const USAGE = 'gomod-dl [-x] [-json] [-C dir] [-modcacherw] [-j N] [flags] [modules]';

/** The full help text (ends with a newline). */
export const HELP = `Usage: ${USAGE}

Download Go modules into the module cache (GOMODCACHE) exactly as
'go mod download' does, without a Go toolchain. Modules are path@version
arguments, 'all', path/... patterns, or nothing (the requirements of the
module in the current directory).

Flags of go mod download (spelled -flag or --flag, booleans as -flag=false):
  -x                  print every request with its status and timing (stderr)
  -json               print one JSON object per module on stdout
  -C dir, --chdir dir
                      change to dir before doing anything
  -modcacherw         leave extracted module directories writable
  -modfile file       read (and update) file instead of the module's go.mod,
                      and file's .sum instead of go.sum (tools.mod, tools.sum)
  -reuse file         an earlier -json output (outside a module): a module
                      from git whose origin is unchanged is not downloaded
                      again ("Reuse": true); never through a proxy
  -overlay file       read and checked as go does; refused if it replaces a
                      go.mod, go.work or go.sum (other files do not matter)

Flags of gomod-dl:
  -j N, --concurrency N
                      modules downloaded at once (1 to 1024, default 16)
  --progress[=WHEN]   a live status line on stderr: auto (default: on a
                      terminal, not with -x or -json, not TERM=dumb),
                      always, never (with --summary=never: go's output)
  --summary[=WHEN]    one line with counts, bytes and time after a run:
                      auto (default: on a terminal), always (for CI logs),
                      never; always also adds notes under errors
  --color[=WHEN]      colour on stderr: auto (default: on a terminal),
                      always, never
  --offline-complete  also fetch the .info and go.mod files of the whole
                      build list, so go list -m all works with GOPROXY=off
  --toolchain[=GOOS/GOARCH]
                      also fetch the golang.org/toolchain module the go.mod
                      selects (default: this machine's platform)
  -h, --help          show this help
  --version           print the version
  A flag given without =WHEN means always.

Commands (first on the line; each takes --help):
  gomod-dl verify [--cache] [--repair]
                      check the cache as go mod verify does; --cache: every
                      module in GOMODCACHE; --repair: fix what is damaged
  gomod-dl export DIR [modules]
                      write what would be downloaded as a static GOPROXY
                      tree with checksum-database files, for file:// or a
                      static web server (fleets, air-gapped sites)
  gomod-dl env [-json] [NAME...]
                      print the Go environment as gomod-dl resolved it

Environment (read as go reads them; GOFLAGS and the GOENV file apply):
  GOPROXY             proxy list: ',' falls back on 404/410 only, '|' on any
                      error; off; file:// URLs (default proxy.golang.org)
  GOPRIVATE, GONOPROXY, GONOSUMDB
                      glob patterns of private modules (no proxy / no sumdb)
  GOSUMDB             checksum database (default sum.golang.org), or off
  GOINSECURE          glob patterns of modules that direct fetches may get
                      over plain HTTP
  GOFLAGS             default flags (-x, -json, -modcacherw, -modfile...)
  GOMODCACHE          the module cache (default GOPATH/pkg/mod)
  GOPATH              default $HOME/go
  GOENV               the file 'go env -w' writes, or off
  GOWORK              the go.work file, or off
  GO111MODULE         off is refused, as go refuses it
  GOTOOLCHAIN         checked as go checks it; never switches toolchains; set to
                      local, go lines newer than go 1.26.8 are go's errors
  GOROOT              when set: must be a directory; go.work search stops there
  GOEXPERIMENT, GOFIPS140, GOARM64, GOMIPS, GOMIPS64, GOPPC64, GORISCV64, GOWASM
                      checked as go checks them at start-up (exit 2)
  GOAUTH, NETRC       credentials for proxies and go-get discovery: netrc
                      (default, ~/.netrc), git DIR, a command, off; ';'
  GOVCS               version control systems direct mode may use (default
                      public:git|hg,private:all; gomod-dl runs git only)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY
                      HTTP proxies
  SSL_CERT_FILE, SSL_CERT_DIR
                      extra CA certificates, as go reads them on Linux
  NODE_EXTRA_CA_CERTS more CA certificates, as for any Node.js program
  GOMODDL_STALL_TIMEOUT
                      seconds without a byte before a request counts as
                      stalled and is retried (default 20)
  HOME                where GOPATH, the GOENV file and .netrc default to
  NO_COLOR            set and not empty: no colour (https://no-color.org)
  FORCE_COLOR         0 no colour, 1 (or empty) 16 colours, 2 256, 3 24-bit
  TERM                dumb: no progress line and no colour

Exit status:
  0   every module was downloaded and verified
  1   a module failed, or a fatal error (checksum mismatch, bad go.mod)
  2   usage error (unknown flag, bad value)
  130 interrupted by SIGINT (Ctrl-C)
  143 interrupted by SIGTERM
  129 interrupted by SIGHUP
  141 stdout closed by its reader, as go dies of SIGPIPE

Examples:
  gomod-dl                          the current module's requirements
  gomod-dl -x 2>trace.txt           debug a proxy: every request, retry and
                                    GOPROXY fallback with timings
  GOFLAGS=-modcacherw gomod-dl --summary --progress=never
                                    CI: a one-line summary in the log
  gomod-dl -json all > mods.json    the whole build list, one object each
  GOMODCACHE=/media/usb/mod gomod-dl all
                                    offline preparation: fill a cache on a
                                    connected machine, then build elsewhere
                                    with GOMODCACHE set and GOPROXY=off

Differences from go mod download (README.md explains each):
  - transient failures (resets, timeouts, 429, 5xx) are retried with backoff
  - -j 16 by default; zips are fetched while the module graph loads
  - every zip is inflated once and published only after it is verified
  - go's .lock files locked through flock(1) or perl; temps in a private
    work directory: safe beside go and other gomod-dl runs
  - Ctrl-C (and SIGTERM/SIGHUP) cleans up and exits 130 (143/129)
  - no Go toolchain needed: any go line is accepted, never switches toolchains
  - direct mode runs git only (no hg/svn/bzr/fossil); a git-made .zip's own
    bytes differ from go's (entries, h1:, tree are identical)
  - messages start 'gomod-dl: ' where go writes 'go: '
  - a progress line, a summary, colour and notes on a terminal; none in pipes
`;

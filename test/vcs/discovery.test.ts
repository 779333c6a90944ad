// `?go-get=1` pages that an HTML parser and go's encoding/xml read differently, served to go and to
// gomod-dl: tags in 404 and 500 pages, in comments and scripts, pages go's XML decoder stops on
// (a bare <, a non-UTF-8 encoding, NUL bytes, a body cut short), and the second look-up at a prefix.
import { after, before, test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireGo } from '../support/gorun.js';
import { GIT_HOST, startGitServer, type GitServer } from '../support/git-server.js';
import { rmrf } from '../support/tree.js';
import { compareDownload } from './harness.js';

const H = GIT_HOST;
const R = `http://${H}/repo/plain`;
let host: GitServer;
let root: string;

const tag = (path: string, repo = R) => `<meta name="go-import" content="${H}/d/${path} git ${repo}">`;

/** Status, Content-Type and body of each page, served at /d/<key>?go-get=1. */
const pages: Record<string, [number, string, string | Buffer]> = {
  status404meta: [404, 'text/html', `<html><head>${tag('status404meta')}</head></html>`],
  plain404tags: [404, 'text/plain', `${tag('plain404tags')}\n`],
  comment: [200, 'text/html', `<html><head><!-- ${tag('comment', `http://${H}/repo/nosuchrepo`)} -->${tag('comment')}</head></html>`],
  cdata: [200, 'text/html', `<html><head><![CDATA[${tag('cdata', `http://${H}/repo/nosuchrepo`)}]]>${tag('cdata')}</head></html>`],
  script: [200, 'text/html', `<html><head><script>x = "<meta name='go-import' content='a b c'>" && 1 < 2;</script>${tag('script')}</head></html>`],
  latin1after: [200, 'text/html', Buffer.from(`<html><head>${tag('latin1after')}<title>caf\xe9</title></head></html>`, 'latin1')],
  ltraw: [200, 'text/html', `<html><head><title>1 < 2</title>${tag('ltraw')}</head></html>`],
  charset: [200, 'text/html', `<?xml version="1.0" encoding="iso-8859-1"?><html><head>${tag('charset')}</head></html>`],
  nul: [200, 'application/octet-stream', '\u0000\u0001\u0002<<<>>>&&&'],
  latin1: [200, 'text/html', Buffer.from(`<html><head><title>caf\xe9</title>${tag('latin1')}</head></html>`, 'latin1')],
  dashdash: [200, 'text/html', `<html>\n<head>\n<!-- a -- b -->${tag('dashdash')}</head></html>`],
  plain404xml: [404, 'text/plain', 'not found: 1 < 2\nsecond line\n'],
  html500xml: [500, 'text/html', '<html><head><title>1 < 2</title></head></html>'],
  pfxbadxml: [200, 'text/html', '<html><head><title>1 < 2</title></head></html>'],
  'pfxbadxml/sub': [200, 'text/html', `<html><head>${tag('pfxbadxml')}</head></html>`],
  pfx404: [404, 'text/plain', 'nothing here\n'],
  'pfx404/sub': [200, 'text/html', `<html><head>${tag('pfx404')}</head></html>`],
};

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gomod-dl-git-'));
  host = await startGitServer(root);
  // No go.mod: the repository answers for any module path given it.
  host.createRepo('plain', [{ files: { 'a.go': 'package a\n' }, tags: ['v1.0.0'] }]);
  host.route('/d/', (req, res) => {
    const key = new URL(req.url ?? '/', 'http://x').pathname.slice('/d/'.length);
    if (key === 'cut') {
      // A body cut short: the Content-Length promises more than arrives.
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
      res.write('<html><head><title>x');
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    const p = pages[key];
    if (p === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('no page\n');
    res.writeHead(p[0], { 'content-type': p[1] }).end(p[2]);
  });
});
after(async () => {
  await host.close();
  await rmrf(root);
});

test('go-import pages are read as go\'s XML decoder reads them: tags in error pages, comments, scripts; its errors', async (t) => {
  requireGo(t);
  const paths = [...Object.keys(pages).filter((k) => !k.startsWith('pfx')), 'cut', 'pfxbadxml/sub', 'pfx404/sub'];
  await compareDownload(t, host, ['-json', ...paths.map((p) => `${H}/d/${p}@v1.0.0`)]);
});

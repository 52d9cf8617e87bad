// The Debian package that `cargo xtask test` builds (with the debug
// binary; `cargo xtask package` packs a release one): its contents and
// control files are checked, it is unpacked with dpkg-deb into a temporary
// folder, and the innom in it, started with the settings of its
// /etc/innom/innom.conf, serves the app in it to a browser.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

import { PHONE, launchBrowser, logIn, openPage, startServer } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const debFolder = join(root, 'target', 'debian');
const debs = readdirSync(debFolder, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.deb'));
assert.equal(debs.length, 1, `one package in ${debFolder} (run cargo xtask package)`);
const deb = join(debFolder, debs[0].name);
const unpacked = mkdtempSync(join(tmpdir(), 'innom-deb-'));
after(() => rmSync(unpacked, { recursive: true, force: true }));

const dpkgDeb = (...args) => execFileSync('dpkg-deb', args, { encoding: 'utf8', maxBuffer: 1 << 24 });

test('the package holds the server, the three apps, a hardened unit, its settings and the documentation', () => {
  const listing = dpkgDeb('-c', deb);
  const entry = (path) => listing.split('\n').find((line) => line.endsWith(` ./${path}`));
  const expected = {
    'usr/bin/innom': '-rwxr-xr-x root/root',
    'usr/share/innom/client/index.html': '-rw-r--r-- root/root',
    'usr/share/innom/client/sw.js': '-rw-r--r-- root/root',
    'usr/share/innom/client/kontor/index.html': '-rw-r--r-- root/root',
    'usr/share/innom/client/fadder/index.html': '-rw-r--r-- root/root',
    'lib/systemd/system/innom.service': '-rw-r--r-- root/root',
    'etc/innom/innom.conf': '-rw-r----- root/root',
    'usr/share/doc/innom/OPERATIONS.md': '-rw-r--r-- root/root',
    'usr/share/doc/innom/examples/Caddyfile': '-rw-r--r-- root/root',
    'usr/share/doc/innom/copyright': '-rw-r--r-- root/root',
  };
  for (const [path, mode] of Object.entries(expected)) {
    assert.ok(entry(path), `${path} is in the package`);
    assert.ok(entry(path).startsWith(mode), `${path}: ${entry(path)}`);
  }
  assert.ok(listing.includes('.wasm'), 'the built wasm is in it');

  assert.equal(dpkgDeb('-f', deb, 'Package').trim(), 'innom');
  assert.match(dpkgDeb('-f', deb, 'Depends'), /libc6 \(>= 2\.\d+\), adduser/);
  const control = join(unpacked, 'DEBIAN');
  dpkgDeb('-e', deb, control);
  assert.equal(readFileSync(join(control, 'conffiles'), 'utf8'), '/etc/innom/innom.conf\n', 'an upgrade keeps the settings');
  const postinst = readFileSync(join(control, 'postinst'), 'utf8');
  assert.match(postinst, /adduser --system --group/, 'the service gets its own user');
  assert.match(postinst, /try-restart innom\.service/, 'an upgrade restarts the service, which migrates the database');
  assert.ok(statSync(join(control, 'postinst')).mode & 0o111, 'postinst is executable');
  const postrmCode = readFileSync(join(control, 'postrm'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('\n');
  assert.doesNotMatch(postrmCode, /\/var\/lib\/innom/, 'the records survive a purge');
});

test('the unit runs innom as its own user, in a read-only system, with no new privileges', () => {
  dpkgDeb('-x', deb, unpacked);
  const unit = readFileSync(join(unpacked, 'lib/systemd/system/innom.service'), 'utf8');
  const settings = Object.fromEntries(unit.split('\n').filter((l) => /^\w+=/.test(l)).map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
  assert.equal(settings.User, 'innom');
  assert.equal(settings.StateDirectory, 'innom');
  assert.equal(settings.ProtectSystem, 'strict');
  assert.equal(settings.NoNewPrivileges, 'yes');
  assert.equal(settings.PrivateTmp, 'yes');
  assert.equal(settings.EnvironmentFile, '/etc/innom/innom.conf');
  assert.equal(settings.ExecStart, '/usr/bin/innom serve');
  assert.match(unit, /Environment=INNOM_STATIC_DIR=\/usr\/share\/innom\/client/);
  assert.match(unit, /Environment=INNOM_DATABASE=\/var\/lib\/innom\/innom\.sqlite/);
  // systemd's own check: every directive known, every value valid. It
  // looks for /usr/bin/innom on this machine, which is not installed here.
  const verified = spawnSync('systemd-analyze', ['verify', join(unpacked, 'lib/systemd/system/innom.service')], { encoding: 'utf8' });
  const complaints = `${verified.stdout}${verified.stderr}`.split('\n').filter((l) => l && !l.includes('/usr/bin/innom is not executable'));
  assert.deepEqual(complaints, []);
});

test('the innom from the package, with the package\'s settings, serves the app from the package', async () => {
  dpkgDeb('-x', deb, unpacked);
  // The settings file as systemd reads it: KEY=VALUE lines, # comments.
  const conf = readFileSync(join(unpacked, 'etc/innom/innom.conf'), 'utf8');
  const env = Object.fromEntries(conf.split('\n').filter((l) => /^INNOM_\w+=/.test(l)).map((l) => l.split('=')));
  assert.equal(env.INNOM_LISTEN, '127.0.0.1:8080', 'on this machine only, by default');
  delete env.INNOM_LISTEN; // a free port for the test instead
  const server = await startServer([], {
    bin: join(unpacked, 'usr/bin/innom'),
    dist: join(unpacked, 'usr/share/innom/client'),
    env,
  });
  const browser = await launchBrowser();
  try {
    const version = execFileSync(join(unpacked, 'usr/bin/innom'), ['--version'], { encoding: 'utf8' });
    assert.match(version, /^innom \d+\.\d+\.\d+/);
    const page = await openPage(browser, PHONE);
    await page.goto(server.url);
    await logIn(page, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
    await page.locator('.visit-item').first().waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  } finally {
    await browser.close();
    await server.stop();
  }
});

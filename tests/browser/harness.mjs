// Browser test harness: starts the real `innom` binary on port 0 with a
// fresh SQLite file and the built client, and launches Debian's Chromium
// headless through playwright-core (which never downloads a browser).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const INNOM_BIN = process.env.INNOM_BIN ?? join(root, 'target', 'debug', 'innom');
/** Makes a test authority and a certificate for localhost (tests/src/bin/test-certificate.rs). */
export const TEST_CERTIFICATE_BIN = join(dirname(INNOM_BIN), 'test-certificate');
export const DIST = process.env.INNOM_DIST ?? join(root, 'dist');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(root, 'target', 'screenshots');

export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * Starts `innom serve --demo` (with any `extraArgs`) and resolves once it
 * prints its address. By default on a fresh database in a temporary
 * folder (removed on `stop`) and a free port; `database` and `listen`
 * start it on a given file and address instead (a restart); `bin`, `dist`
 * and `env` run another build of Innom (the one in the Debian package).
 */
export async function startServer(extraArgs = [], { database, listen = '127.0.0.1:0', bin = INNOM_BIN, dist = DIST, env = {} } = {}) {
  const folder = database ? null : mkdtempSync(join(tmpdir(), 'innom-browser-'));
  const file = database ?? join(folder, 'innom.sqlite');
  const child = spawn(
    bin,
    ['serve', '--listen', listen, '--database', file, '--static-dir', dist, '--demo', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, INNOM_LOG: 'info,tower_http=debug', ...env } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  let stdout = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`innom did not start in time:\n${stderr}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const found = stdout.match(/Innom is running at (https?:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolveUrl(found[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`innom exited with ${code}:\n${stderr}`));
    });
  });
  return {
    url,
    database: file,
    logs: () => stderr,
    printed: () => stdout,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the test OpenID Connect provider (oidc_provider.mjs: the npm
 * package `oidc-provider`) with `users` ({username: {password, name,
 * groups}}); resolves with its issuer, the client id and secret Innom is
 * registered with, and `stop`.
 */
export async function startOidcProvider(users) {
  const clientSecret = `test-client-secret-${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, [join(root, 'tests', 'browser', 'oidc_provider.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OIDC_CLIENT_ID: 'innom', OIDC_CLIENT_SECRET: clientSecret, OIDC_USERS: JSON.stringify(users) },
  });
  const issuer = await new Promise((resolveIssuer, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveIssuer(JSON.parse(line).issuer);
    });
    child.on('exit', (code) => reject(new Error(`the OpenID provider exited with ${code}`)));
  });
  rememberSecret(clientSecret);
  return {
    issuer,
    clientId: 'innom',
    clientSecret,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    },
  };
}

/** Runs another `innom` command (`backup`, `restore`, …); returns what it printed. */
export function innom(args) {
  return execFileSync(INNOM_BIN, args, { encoding: 'utf8' });
}

/** Launches headless Chromium with the flags this machine needs, and `extraArgs`. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * Starts the server and a browser before a test file's tests and stops
 * them after; `server` and `browser` are set on the returned object once
 * they run.
 */
export function startServerAndBrowser(extraArgs = []) {
  const env = {};
  before(async () => {
    env.server = await startServer(extraArgs);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
    if (env.server) assertNoSecretLeaked(env.server.logs());
  });
  return env;
}

/**
 * Every password, session token and mentor-link secret a test file has
 * used, and every Referer header its pages sent: after the file's tests,
 * none of the secrets may be in the server's log or in a Referer.
 */
const secrets = new Set();
const referers = [];

/** Remembers a secret that must never reach the server's log. */
export function rememberSecret(secret) {
  if (secret) secrets.add(secret);
}

export function assertNoSecretLeaked(logs) {
  // The log is only worth scanning if it holds the requests (tower_http at debug).
  assert.match(logs, /started processing request/, 'the server logged no requests; the scan would prove nothing');
  assert.ok(secrets.size > 0, 'no secrets were collected; the scan would prove nothing');
  for (const secret of secrets) {
    assert.ok(!logs.includes(secret), `a secret (${secret.slice(0, 4)}…) is in the server's log`);
    for (const referer of referers) {
      assert.ok(!referer.includes(secret), `a secret (${secret.slice(0, 4)}…) was sent in a Referer: ${referer}`);
    }
  }
}

/** Collects the bearer tokens and Referer headers of a context's requests, and link secrets from its addresses. */
function watchForSecrets(context) {
  context.on('request', (request) => {
    const headers = request.headers();
    const bearer = headers.authorization?.match(/^Bearer (.+)$/);
    if (bearer) rememberSecret(bearer[1]);
    if (headers.referer) referers.push(headers.referer);
  });
  context.on('page', (page) => page.on('framenavigated', (frame) => {
    const fragment = new URL(frame.url()).hash.slice(1);
    if (fragment.length >= 32) rememberSecret(fragment);
  }));
}

/** The keys and stored bytes (as text) of every record in the app's IndexedDB. */
export function storedDocs(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const open = indexedDB.open('innom');
      open.onsuccess = () => ok(open.result);
      open.onerror = () => fail(open.error);
    });
    const all = (method) => new Promise((ok) => {
      const request = db.transaction('docs').objectStore('docs')[method]();
      request.onsuccess = () => ok(request.result);
    });
    const values = await all('getAll');
    return { keys: await all('getAllKeys'), texts: values.map((bytes) => new TextDecoder().decode(bytes)) };
  });
}

/**
 * A new page in a fresh context of the given size, collecting console
 * errors and uncaught exceptions into `page.problems`.
 */
export async function openPage(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport, locale: 'nb-NO' });
  watchForSecrets(context);
  const page = await context.newPage();
  page.problems = [];
  // Warnings too, for tests that a load is quiet (no preload left unused).
  page.warnings = [];
  page.on('console', (message) => {
    // With the address, so a failed request says which one it was.
    const where = message.location()?.url;
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}${where ? ` (${where})` : ''}`);
    if (message.type() === 'warning') page.warnings.push(message.text());
  });
  page.on('pageerror', (error) => page.problems.push(`exception: ${error.message}`));
  // Every Content-Security-Policy violation, for `cspViolations`.
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || 'inline'}`);
    });
  });
  return page;
}

/**
 * The page's problems, less those a test causes by cutting the network.
 * Chromium logs each API request that fails at the network level
 * ("Failed to load resource: net::ERR_…"; which code depends on the moment
 * the emulated network changed under the request), and the app's `fetch`
 * rejects with "Failed to fetch". A failed app asset, or any answer from
 * the server (a 4xx or 5xx), is still a problem unless its text contains
 * one of `expected`.
 */
export function problemsBesideNetworkLoss(page, expected = []) {
  const networkLoss = (p) => /net::ERR_[A-Z_]+ \(https?:\/\/[^/]+\/api\//.test(p) || p.includes('Failed to fetch');
  return page.problems.filter((p) => !networkLoss(p) && !expected.some((e) => p.includes(e)));
}

/** The Content-Security-Policy violations the page has reported so far. */
export async function cspViolations(page) {
  return page.evaluate(() => window.cspViolations ?? []);
}

/** Logs in through the login page and waits for the home page. */
export async function logIn(page, username, password, greeting) {
  rememberSecret(password);
  await page.getByLabel('Brukernavn').fill(username);
  await page.getByLabel('Passord').fill(password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  if (greeting) await page.getByRole('heading', { name: greeting }).waitFor();
}

/**
 * The advisor's start of a day without coverage: logs `kari` in online,
 * waits for the first sync and for the service worker to take control,
 * then cuts the network and reloads, so the app comes from the cache.
 */
export async function loggedInThenOffline(page, url) {
  await page.goto(url);
  await logIn(page, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await offlineAfterFirstSync(page, 'Hei, Kari Nordmann');
}

/**
 * Waits for the first sync to bring the demo records and for the service
 * worker to take control, then cuts the network and reloads, so the app
 * comes from the cache and shows `greeting`.
 */
export async function offlineAfterFirstSync(page, greeting) {
  await page.locator('.visit-item').first().waitFor();
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.context().setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: greeting }).waitFor();
}

/** A session token of the demo's office staff member `ola`, for checking the server. */
export async function staffToken(url) {
  return demoToken(url, 'ola');
}

/** A session token of the demo advisor `kari`, through the API. */
export async function advisorToken(url) {
  return demoToken(url, 'kari');
}

async function demoToken(url, username) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'stikkinnom' }),
  });
  const { token } = await login.json();
  rememberSecret(token);
  return token;
}

/** A new mentor link for the demo placement of Amina (record 21), made through the API. */
export async function mentorLink(url, advisorToken, expiresAt) {
  const placement = '00001000-0000-4000-8000-000000000015';
  const response = await fetch(`${url}/api/placements/${placement}/mentor-links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${advisorToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(expiresAt === undefined ? {} : { expires_at: expiresAt }),
  });
  assert.equal(response.status, 201);
  const { secret } = await response.json();
  rememberSecret(secret);
  return `${url}/fadder#${secret}`;
}

/**
 * The quickest useful mentor feedback: one scale, readiness, one text,
 * "contact me", then save. Returns the taps and text fields it took.
 */
export async function quickFeedback(mentor, text) {
  await mentor.getByRole('group', { name: 'Norsk i samtale' }).getByLabel('Må øve mer').check();
  await mentor.getByRole('group', { name: 'Klar for neste fase?' }).getByLabel('Ikke ennå').check();
  await mentor.getByLabel('Dette trenger oppmerksomhet').fill(text);
  await mentor.getByLabel('Kontakt meg').check();
  await mentor.getByRole('button', { name: 'Lagre' }).click();
  await mentor.locator('.feedback-item').first().waitFor();
  return { taps: 4, textFields: 1 };
}

/** An API call with the session token the page keeps. */
export async function apiWithPageToken(page, url, path) {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('innom.session')).token);
  return fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

/** Saves a full-page screenshot under target/screenshots/ for a person to look at. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

let axeSource;

/**
 * Runs axe-core on the page and fails on serious or critical violations
 * (WCAG 2.1 AA is required of Norwegian public-sector software).
 */
export async function assertAccessible(page, what) {
  // Evaluated rather than added as a <script>, which the page's CSP refuses.
  axeSource ??= await readFile(join(root, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  // axe leaves text in exactly its background's colour "incomplete" (it
  // may be hidden on purpose); here nothing is, so it is invisible text.
  const invisible = result.incomplete
    .filter((r) => r.id === 'color-contrast')
    .flatMap((r) => r.nodes)
    .filter((n) => n.any.some((check) => check.data?.messageKey === 'equalRatio' || check.data?.contrastRatio === 1));
  // WCAG 1.4.10 (reflow): nothing may make the page scroll sideways; wide
  // tables scroll in their own box.
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (sideways > 0) {
    bad.push({ id: 'reflow' });
    described.push(`the page is ${sideways} px wider than the window and scrolls sideways`);
  }
  if (invisible.length > 0) {
    bad.push({ id: 'invisible-text' });
    described.push(`text in its background's colour: ${invisible.map((n) => n.target.join(' ')).join(', ')}`);
  }
  if (bad.length > 0) throw new Error(`${what}: accessibility violations:\n${described.join('\n')}`);
  const csp = await cspViolations(page);
  if (csp.length > 0) throw new Error(`${what}: Content-Security-Policy violations:\n${csp.join('\n')}`);
}

/**
 * Everything the app keeps in the browser for its origin: each IndexedDB
 * database (version, stores, every key and value; bytes as base64) and
 * localStorage, as JSON, to be put back by `restoreBrowserStorage`.
 */
export function dumpBrowserStorage(page) {
  return page.evaluate(async () => {
    const encode = (value) => {
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
        const bytes = value instanceof Uint8Array ? value : new Uint8Array(value);
        return { $bytes: btoa(String.fromCharCode(...bytes)) };
      }
      if (Array.isArray(value)) return value.map(encode);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
      return value;
    };
    const databases = [];
    for (const { name, version } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      const stores = [];
      for (const storeName of db.objectStoreNames) {
        const store = db.transaction(storeName).objectStore(storeName);
        const read = (request) => new Promise((ok) => { request.onsuccess = () => ok(request.result); });
        const [keys, values] = [await read(store.getAllKeys()), await read(db.transaction(storeName).objectStore(storeName).getAll())];
        stores.push({ name: storeName, keyPath: store.keyPath, autoIncrement: store.autoIncrement, entries: keys.map((key, i) => [encode(key), encode(values[i])]) });
      }
      db.close();
      databases.push({ name, version, stores });
    }
    return { databases, localStorage: { ...localStorage } };
  });
}

/** Puts a `dumpBrowserStorage` dump into the page's (empty) origin. */
export function restoreBrowserStorage(page, dump) {
  return page.evaluate(async ({ databases, localStorage: saved }) => {
    const decode = (value) => {
      if (value && typeof value === 'object' && '$bytes' in value) return Uint8Array.from(atob(value.$bytes), (c) => c.charCodeAt(0));
      if (Array.isArray(value)) return value.map(decode);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
      return value;
    };
    for (const { name, version, stores } of databases) {
      const db = await new Promise((ok, fail) => {
        const open = indexedDB.open(name, version);
        open.onupgradeneeded = () => {
          for (const store of stores) open.result.createObjectStore(store.name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
        };
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(open.error);
      });
      for (const store of stores) {
        await new Promise((ok, fail) => {
          const tx = db.transaction(store.name, 'readwrite');
          for (const [key, value] of store.entries) {
            if (store.keyPath === null) tx.objectStore(store.name).put(decode(value), decode(key));
            else tx.objectStore(store.name).put(decode(value));
          }
          tx.oncomplete = ok;
          tx.onerror = () => fail(tx.error);
        });
      }
      db.close();
    }
    for (const [key, value] of Object.entries(saved)) localStorage.setItem(key, value);
  }, dump);
}

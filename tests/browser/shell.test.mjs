// The app shell in a real browser: loads cleanly, speaks Norwegian by
// default and English on request, and lets a demo user log in.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DESKTOP, PHONE, logIn, openPage, screenshot, startServerAndBrowser } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

describe('app shell', () => {
  test('loads with no console errors and shows the login page in Norwegian', async () => {
    const page = await openPage(env.browser, PHONE);

    await page.goto(env.server.url);

    await page.waitForURL('**/logg-inn');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Logg inn');
    assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
    await screenshot(page, 'login-phone-nb');
    assert.deepEqual(page.problems, []);
    // Chromium says so a few seconds after the load when a preloaded file
    // goes unused (as the wasm did while its preload carried a hash).
    await page.waitForTimeout(4_000);
    assert.deepEqual(page.warnings.filter((w) => w.includes('preload')), []);
    await page.context().close();
  });

  test('shows a loading page until the app has downloaded, then the app in its place', async () => {
    const page = await openPage(env.browser, PHONE);
    // The app's wasm is held back, as on a slow phone network.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/*_bg.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${env.server.url}/logg-inn`);

    assert.equal(await page.locator('#splash [role="status"]').textContent(), 'Laster …');
    assert.equal(await page.locator('#splash .tagline').textContent(), 'Oppfølging av praksisplasser – også uten dekning');
    assert.equal(await page.locator('.app-header .brand').textContent(), 'Innom');
    release();

    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    assert.equal(await page.locator('#splash').count(), 0);
    assert.equal(await page.locator('.app-header').count(), 1);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('switches to English, and remembers the choice after a reload', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(`${env.server.url}/logg-inn`);

    await page.getByRole('button', { name: 'English' }).click();

    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.ok(await page.getByLabel('Username').isVisible());
    await screenshot(page, 'login-phone-en');
    await page.reload();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByRole('button', { name: 'Norsk' }).click();
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('logs in as a demo advisor, greets her by name and role, and stays logged in', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(env.server.url);

    await logIn(page, 'kari', 'stikkinnom');

    await page.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.role').textContent(), 'rådgiver');
    await screenshot(page, 'home-phone-nb');
    await page.reload();
    await page.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('moving to another screen puts the focus on its heading, for screen readers', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(env.server.url);
    await logIn(page, 'kari', 'stikkinnom');
    await page.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
    const focused = () => page.evaluate(() => `${document.activeElement.tagName} ${document.activeElement.textContent}`);

    await page.getByRole('link', { name: 'Arbeidssteder' }).click();
    await page.getByRole('heading', { name: 'Arbeidssteder' }).waitFor();
    assert.equal(await focused(), 'H1 Arbeidssteder');
    // A heading focused from script is not a stop for the Tab key.
    assert.equal(await page.getByRole('heading', { name: 'Arbeidssteder' }).getAttribute('tabindex'), '-1');

    await page.goBack();
    await page.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
    assert.equal(await focused(), 'H1 Hei, Kari Nordmann');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a staff member sees the office role, at desktop size', async () => {
    const page = await openPage(env.browser, DESKTOP);
    await page.goto(env.server.url);

    await logIn(page, 'ola', 'stikkinnom');

    await page.getByRole('heading', { name: 'Hei, Ola Hansen' }).waitFor();
    assert.equal(await page.locator('.role').textContent(), 'kontor');
    await screenshot(page, 'home-desktop-nb');
    await page.context().close();
  });

  test('a wrong password gets a clear message and no session', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(env.server.url);

    await logIn(page, 'kari', 'feil-passord');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.textContent(), 'Feil brukernavn eller passord.');
    assert.equal(new URL(page.url()).pathname, '/logg-inn');
    assert.equal(await page.evaluate(() => localStorage.getItem('innom.session')), null);
    await screenshot(page, 'login-error-phone-nb');
    await page.context().close();
  });

  test('guessing passwords gets a clear message to wait', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(env.server.url);
    // An account nobody has: the throttle counts it all the same, and the
    // demo accounts stay usable for the other tests.
    // The wait starts after five failures and doubles with each further
    // one, so within a few more attempts the page must say so.
    let told = false;
    for (let attempt = 0; attempt < 10 && !told; attempt += 1) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await logIn(page, 'gjetteren', `gjetning ${attempt}`);
      told = (await answered).status() === 429;
    }
    assert.ok(told, 'the server answered 429');
    await page.getByRole('alert').filter({ hasText: 'For mange mislykkede forsøk' }).waitFor();
    await page.context().close();
  });

  test('logging out returns to the login page and the old token stops working', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(env.server.url);
    await logIn(page, 'kari', 'stikkinnom');
    await page.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('innom.session')).token);

    const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
    await page.getByRole('button', { name: 'Logg ut' }).click();

    assert.equal((await loggedOut).status(), 204);
    await page.waitForURL('**/logg-inn');
    const me = await fetch(`${env.server.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 401);
    await page.context().close();
  });

  test('an unknown address shows the not-found page', async () => {
    const page = await openPage(env.browser, PHONE);

    await page.goto(`${env.server.url}/finnes/ikke`);

    await page.getByRole('heading', { name: 'Fant ikke siden' }).waitFor();
    await page.context().close();
  });

  test('the login page loads while offline shows an offline notice', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(`${env.server.url}/logg-inn`);
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();

    await page.context().setOffline(true);

    await page.getByRole('status').filter({ hasText: 'Frakoblet' }).waitFor();
    await page.context().setOffline(false);
    await page.context().close();
  });

  test('is installable as an app: a web manifest with icons, which the service worker keeps for offline use', async () => {
    const page = await openPage(env.browser, PHONE);
    await page.goto(env.server.url);
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    await page.evaluate(async () => { await navigator.serviceWorker.ready; });

    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const response = await fetch(new URL(href, env.server.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/manifest\+json/);
    const manifest = await response.json();
    assert.equal(manifest.short_name, 'Innom');
    assert.equal(manifest.lang, 'nb');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    for (const size of ['192x192', '512x512']) {
      const icon = manifest.icons.find((i) => i.sizes === size);
      assert.ok(icon, `an icon of ${size}`);
      const image = await fetch(new URL(icon.src, env.server.url));
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/png');
    }

    // Chromium's own verdict on installability, through the DevTools
    // protocol. A test context is incognito, which no site can change.
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);

    // Kept after this one online visit: the page and everything it names,
    // whatever form Trunk's minified HTML gives the addresses.
    const cached = await page.evaluate(async () => {
      const cache = await caches.open('innom-shell-v2 /');
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    });
    for (const file of ['/', '/manifest.webmanifest', '/icons/icon-192.png']) assert.ok(cached.includes(file), `${file} in ${cached.join()}`);
    for (const ending of ['_bg.wasm', '.js', '.css']) {
      assert.ok(cached.some((path) => path.startsWith('/innom-client-') || path.startsWith('/style-')) && cached.some((path) => path.endsWith(ending)), `a ${ending} in ${cached.join()}`);
    }
    await page.context().close();
  });
});

// The client under its Content-Security-Policy, in a real browser against
// the real server: no inline code or eval is allowed, yet every screen
// works with zero violations reported.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PHONE, cspViolations, logIn, openPage, startServerAndBrowser } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

test('the client runs under a strict Content-Security-Policy with zero violations', async () => {
  const page = await openPage(env.browser, PHONE);
  const response = await page.goto(env.server.url);
  const csp = response.headers()['content-security-policy'];
  assert.ok(csp, 'the page carries a Content-Security-Policy');
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(response.headers()['x-content-type-options'], 'nosniff');
  assert.equal(response.headers()['referrer-policy'], 'no-referrer');

  // Every screen of the advisor's app: home, placement with a QR code,
  // a new visit, English.
  await logIn(page, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await page.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await page.getByRole('button', { name: 'Lag lenke til fadder' }).click();
  await page.getByRole('img', { name: 'QR-kode med lenken til fadderen' }).waitFor();
  const mentorUrl = await page.getByLabel('Lenke', { exact: true }).inputValue();
  await page.goto(`${env.server.url}/besok/ny`);
  await page.getByRole('heading', { name: 'Nytt besøk' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'New visit' }).waitFor();
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(page.problems, []);

  // The mentor's app.
  const mentor = await openPage(env.browser, PHONE);
  await mentor.goto(mentorUrl);
  await mentor.getByRole('group', { name: 'Norsk i samtale' }).waitFor();
  assert.deepEqual(await cspViolations(mentor), []);
  assert.deepEqual(mentor.problems, []);

  // The policy is really enforced: an injected inline script does not run,
  // and the browser reports it (so the checks above would see a violation).
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.body.append(script);
  });
  await page.waitForFunction(() => window.cspViolations.length > 0);
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.match((await cspViolations(page))[0], /^script-src/);
});

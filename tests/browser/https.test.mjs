// Innom serving HTTPS itself, with a certificate from an authority the
// test makes (rcgen, in tests/src/bin/test-certificate.rs) and Chromium
// told to trust that certificate's key: the offline journey works over
// HTTPS (the service worker needs a secure origin on a real phone), and
// plain HTTP only sends the browser there.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PHONE, TEST_CERTIFICATE_BIN, launchBrowser, loggedInThenOffline, openPage, problemsBesideNetworkLoss, startServer, storedDocs } from './harness.mjs';

const env = {};
before(async () => {
  env.folder = mkdtempSync(join(tmpdir(), 'innom-tls-'));
  const spki = execFileSync(TEST_CERTIFICATE_BIN, [env.folder], { encoding: 'utf8' }).trim();
  env.server = await startServer([
    '--tls-cert', join(env.folder, 'cert.pem'),
    '--tls-key', join(env.folder, 'key.pem'),
    '--redirect-listen', '127.0.0.1:0',
  ]);
  // The certificate names localhost; Chromium trusts its key and nothing else.
  env.url = env.server.url.replace('127.0.0.1', 'localhost');
  env.redirectPort = env.server.printed().match(/Plain HTTP on 127\.0\.0\.1:(\d+)/)[1];
  env.browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${spki}`]);
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  if (env.folder) rmSync(env.folder, { recursive: true, force: true });
});

test('plain HTTP sends the browser to the same page over HTTPS', async () => {
  assert.match(env.url, /^https:\/\/localhost:\d+$/);
  const page = await openPage(env.browser, PHONE);
  await page.goto(`http://localhost:${env.redirectPort}/logg-inn?x=1`);
  assert.equal(page.url(), `${env.url}/logg-inn?x=1`);
  await page.getByLabel('Brukernavn').waitFor();
  await page.context().close();
});

test('over HTTPS: a visit recorded offline survives a reload and syncs when online', async () => {
  const phone = await openPage(env.browser, PHONE);
  const first = await phone.goto(env.url);
  assert.equal(first.headers()['strict-transport-security'], 'max-age=31536000; includeSubDomains');
  await loggedInThenOffline(phone, env.url);
  assert.equal(await phone.evaluate(() => window.isSecureContext && location.protocol), 'https:');

  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await phone.getByLabel('Ingen praksisplass').check();
  await phone.getByLabel('Grønn').check();
  await phone.getByLabel('Oppsummering').fill('Over HTTPS uten dekning.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  const visit = phone.locator('.visit-item', { hasText: 'Over HTTPS uten dekning' });
  await visit.waitFor();

  // Reopened with no network: the app comes from the service worker's cache.
  await phone.reload();
  await visit.waitFor();
  assert.equal(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');

  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await visit.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });

  // The server has it, asked over the same HTTPS origin.
  const { keys, texts } = await storedDocs(phone);
  const key = keys[texts.findIndex((text) => text.includes('Over HTTPS uten dekning'))];
  assert.ok(key, 'the visit is in IndexedDB');
  const kind = await phone.evaluate(async (id) => {
    const { token } = JSON.parse(localStorage.getItem('innom.session'));
    const answer = await fetch(`/api/documents/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    return answer.status === 200 ? (await answer.json()).kind : `status ${answer.status}`;
  }, key);
  assert.equal(kind, 'visit');
  assert.deepEqual(problemsBesideNetworkLoss(phone), []);
  await phone.context().close();
});

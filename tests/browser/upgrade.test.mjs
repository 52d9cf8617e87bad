// A phone that used the previous release of the app: its IndexedDB and
// localStorage as that release left them (tests/fixtures/phone-storage-*.json,
// made by tests/browser/fixtures/make-phone-storage.mjs with the release
// of 2026-12-07: two visits recorded without coverage, never sent). This
// release opens on them without a network, shows both as unsent, and once
// online and signed in again (the old session belongs to another server)
// sends both to the server.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { PHONE, logIn, openPage, problemsBesideNetworkLoss, restoreBrowserStorage, staffToken, startServerAndBrowser } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const saved = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'phone-storage-2026-12-07.json'), 'utf8'));
const UNSENT = ['Fra forrige versjon: alt i orden på lageret.', 'Fra forrige versjon: mentor var syk.'];

const env = startServerAndBrowser();

test('records saved by the previous release open offline in this one and reach the server', async () => {
  const phone = await openPage(env.browser, PHONE);
  // The origin's storage as the previous release left it, put there
  // before any of this release's code runs.
  await phone.goto(`${env.server.url}/api/health`);
  await restoreBrowserStorage(phone, saved);

  // No coverage for the API: the app and its service worker still load.
  await phone.context().route('**/api/**', (route) => route.abort('internetdisconnected'));
  await phone.goto(env.server.url);
  await phone.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
  await phone.evaluate(async () => { await navigator.serviceWorker.ready; });
  await phone.reload();
  await phone.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // Now with no network at all: the app comes from the cache.
  await phone.context().setOffline(true);
  await phone.reload();
  for (const summary of UNSENT) {
    const visit = phone.locator('.visit-item', { hasText: summary });
    await visit.waitFor();
    assert.equal(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local', summary);
  }

  // Back in coverage: the old session is unknown here, so the app asks for
  // the password and keeps the records; signed in, it sends them.
  await phone.context().unroute('**/api/**');
  await phone.context().setOffline(false);
  // The app syncs by itself when the network returns; the button is there
  // for when it has not yet.
  const loginPage = phone.getByRole('heading', { name: 'Logg inn' });
  const syncButton = phone.getByRole('button', { name: 'Synkroniser nå' });
  await loginPage.or(syncButton).first().waitFor();
  if (await syncButton.isVisible()) await syncButton.click();
  await loginPage.waitFor();
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  for (const summary of UNSENT) {
    await phone.locator('.visit-item', { hasText: summary }).locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });
  }

  const token = await staffToken(env.server.url);
  const visits = await (await fetch(`${env.server.url}/api/exports/visits.csv`, { headers: { Authorization: `Bearer ${token}` } })).text();
  for (const summary of UNSENT) assert.ok(visits.includes(summary), `the server has "${summary}"`);
  assert.deepEqual(problemsBesideNetworkLoss(phone, ['401']), []);
  await phone.context().close();
});

// Offline-first sync in a real browser: a visit recorded with no network
// survives a reload, reaches the server when the network returns, and
// shows up on a second device; a reply lost to a dropped connection is
// sent again without being stored twice.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PHONE, apiWithPageToken, logIn, loggedInThenOffline, openPage, problemsBesideNetworkLoss, screenshot, staffToken, startServerAndBrowser, storedDocs } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

test('a visit recorded offline survives a reload, syncs when online, and reaches a second device', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await phone.getByLabel('Gul').check();
  await phone.getByLabel('Oppsummering').fill('Uten dekning på lageret. Alt i orden med Yonas.');
  await phone.getByRole('button', { name: 'Lagre' }).click();

  const offlineVisit = phone.locator('.visit-item', { hasText: 'Uten dekning på lageret' });
  await offlineVisit.waitFor();
  assert.equal(await offlineVisit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');
  await screenshot(phone, 'home-offline-unsynced-phone-nb');

  // Closed and reopened, still offline: the visit is read back from IndexedDB.
  await phone.reload();
  await offlineVisit.waitFor();
  assert.equal(await offlineVisit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');

  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await offlineVisit.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });
  await screenshot(phone, 'home-synced-phone-nb');

  // The server has it: look it up through the API by the id the phone gave it.
  const id = (await storedDocs(phone)).keys;
  const kinds = await Promise.all(id.map(async (key) => {
    const response = await apiWithPageToken(phone, env.server.url, `/api/documents/${key}`);
    assert.equal(response.status, 200, `document ${key} is on the server`);
    return (await response.json()).kind;
  }));
  assert.equal(kinds.filter((k) => k === 'visit').length, 5, 'four demo visits and the new one');

  // A second device (a laptop) logs in and sees the visit after its sync.
  const laptop = await openPage(env.browser, { width: 1280, height: 800 });
  await laptop.goto(env.server.url);
  await logIn(laptop, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  const onLaptop = laptop.locator('.visit-item', { hasText: 'Uten dekning på lageret' });
  await onLaptop.waitFor({ timeout: 15_000 });
  assert.equal(await onLaptop.locator('[data-sync-state]').getAttribute('data-sync-state'), 'confirmed');
  assert.deepEqual(problemsBesideNetworkLoss(phone), []);
  await phone.context().close();
  await laptop.context().close();
});

test('a network that drops mid-sync: the server keeps the visit, the phone keeps it unconfirmed, and the next sync confirms it without a copy', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  const before = new Set((await storedDocs(phone)).keys);
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Fjordhotellet' });
  await phone.getByLabel('Oppsummering').fill('Svaret kom aldri fram.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  const visit = phone.locator('.visit-item', { hasText: 'Svaret kom aldri fram.' });
  await visit.waitFor();
  const [id] = (await storedDocs(phone)).keys.filter((key) => !before.has(key));
  assert.ok(id, 'the new visit is stored on the phone');

  // Every sync reaches the server, which stores the push, but the
  // connection drops before the reply gets back to the phone.
  let cut = 0;
  await phone.context().route('**/api/sync', async (route) => {
    await route.fetch();
    cut += 1;
    await route.abort('connectionreset');
  });
  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  for (let waited = 0; cut === 0 && waited < 15_000; waited += 100) await phone.waitForTimeout(100);
  assert.ok(cut > 0, 'a sync was sent and its reply cut');
  // To the phone a dropped connection is no coverage: it says so and tries again later.
  await phone.locator('.sync-error', { hasText: 'Ingen dekning' }).waitFor();
  assert.notEqual(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'confirmed',
    'without the reply the phone cannot know the server has it');

  // The server did store it.
  const token = await staffToken(env.server.url);
  const historyOf = async () => {
    const response = await fetch(`${env.server.url}/api/documents/${id}/history`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, 'the visit is on the server');
    return response.json();
  };
  const stored = await historyOf();
  assert.ok(stored.steps.length >= 1, 'the visit\'s changes are stored');

  // The network works again: the phone sends the visit again, the server
  // answers that it has it, and nothing is stored twice.
  await phone.context().unroute('**/api/sync');
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await visit.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });
  const after = await historyOf();
  assert.equal(after.steps.length, stored.steps.length, 'the pushes sent again were not stored again');
  const info = await (await apiWithPageToken(phone, env.server.url, `/api/documents/${id}`)).json();
  assert.equal(info.kind, 'visit');
  assert.deepEqual(problemsBesideNetworkLoss(phone), []);
  await phone.context().close();
});

test('an open app picks up a record synced elsewhere within seconds, through the event stream', async () => {
  const laptop = await openPage(env.browser, { width: 1280, height: 800 });
  await laptop.goto(env.server.url);
  await logIn(laptop, 'ola', 'stikkinnom', 'Hei, Ola Hansen');
  await laptop.locator('.visit-item').first().waitFor();
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.locator('.visit-item').first().waitFor();

  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Solsikken barnehage' });
  await phone.getByLabel('Oppsummering').fill('Direkte fra telefonen til kontoret.');
  await phone.getByRole('button', { name: 'Lagre' }).click();

  // The periodic sync runs every 30 s; only the event stream is this fast.
  await laptop.locator('.visit-item', { hasText: 'Direkte fra telefonen til kontoret.' }).waitFor({ timeout: 8_000 });
  await phone.context().close();
  await laptop.context().close();
});

test('a new visit starts as a drop-in at the first workplace', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.locator('.visit-item').first().waitFor();

  await phone.getByRole('link', { name: 'Nytt besøk' }).click();

  await phone.getByLabel('Type besøk').waitFor();
  assert.equal(await phone.getByLabel('Type besøk').inputValue(), 'drop_in');
  const firstWorkplace = await phone.getByLabel('Arbeidsplass').locator('option').first().getAttribute('value');
  assert.equal(await phone.getByLabel('Arbeidsplass').inputValue(), firstWorkplace);
  await screenshot(phone, 'new-visit-phone-nb');
  await phone.context().close();
});

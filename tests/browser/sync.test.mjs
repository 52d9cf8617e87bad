// Offline-first sync in a real browser: a visit recorded with no network
// survives a reload, reaches the server when the network returns, and
// shows up on a second device.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PHONE, apiWithPageToken, logIn, loggedInThenOffline, openPage, screenshot, startServerAndBrowser, storedDocs } from './harness.mjs';

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
  assert.deepEqual(phone.problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED') && !p.includes('Failed to fetch')), []);
  await phone.context().close();
  await laptop.context().close();
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

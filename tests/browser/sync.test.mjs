// Offline-first sync in a real browser: a visit recorded with no network
// survives a reload, reaches the server when the network returns, and
// shows up on a second device; a reply lost to a dropped connection is
// sent again without being stored twice.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PHONE, apiWithPageToken, assertAccessible, logIn, loggedInThenOffline, openPage, problemsBesideNetworkLoss, screenshot, staffToken, startServerAndBrowser, storedDocs } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

test('a visit recorded offline survives a reload, syncs when online, and reaches a second device', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await phone.getByLabel('Ingen praksisplass').check();
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
  await phone.getByLabel('Ingen praksisplass').check();
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
  await phone.getByLabel('Ingen praksisplass').check();
  await phone.getByLabel('Oppsummering').fill('Direkte fra telefonen til kontoret.');
  await phone.getByRole('button', { name: 'Lagre' }).click();

  // The periodic sync runs every 30 s; only the event stream is this fast.
  await laptop.locator('.visit-item', { hasText: 'Direkte fra telefonen til kontoret.' }).waitFor({ timeout: 8_000 });
  await phone.context().close();
  await laptop.context().close();
});

test('a new visit picks nothing for the advisor: an empty form says beside each field what it needs, and "when" can be set', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.locator('.visit-item').first().waitFor();
  const visitsBefore = await phone.locator('.visit-item').count();

  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Type besøk').waitFor();
  assert.equal(await phone.getByLabel('Type besøk').inputValue(), 'drop_in');
  assert.equal(await phone.getByLabel('Arbeidsplass').inputValue(), '', 'no workplace is chosen for the advisor');
  assert.equal(await phone.locator('input[name="status"]:checked').count(), 0, 'no status is chosen either');
  assert.match(await phone.getByLabel('Når').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d$/, '"when" starts as now');
  await screenshot(phone, 'new-visit-phone-nb');

  // Saved untouched: nothing is stored, and each field says what it needs.
  await phone.getByLabel('Hvem møtte du?').fill('Daglig leder');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  assert.equal(await phone.locator('#workplace-problem').textContent(), 'Velg arbeidsplassen du besøkte.');
  assert.equal(await phone.locator('#summary-problem').textContent(), 'Skriv en oppsummering eller velg en status.');
  assert.equal(await phone.getByLabel('Arbeidsplass').getAttribute('aria-describedby'), 'workplace-problem');
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.locator('#placements-problem').getByText('eller «Ingen praksisplass»').waitFor();
  // Its label wraps on a phone; the box keeps its width.
  const tick = await phone.getByLabel('Ingen praksisplass').boundingBox();
  assert.ok(Math.abs(tick.width - 22.4) < 1, JSON.stringify(tick));
  assert.ok(await phone.locator('#workplace-problem').isHidden(), 'the workplace is given now');
  await screenshot(phone, 'new-visit-missing-phone-nb');
  await assertAccessible(phone, 'visit form saying what is missing');

  // Given a placement, a summary and an evening time, it saves with that time.
  await phone.getByRole('group', { name: 'Praksisplasser det gjelder' }).getByLabel('Yonas Tesfaye').check();
  await phone.getByLabel('Når').fill('2026-12-01T19:45');
  // What was in the form before it said what was missing is still there.
  assert.equal(await phone.getByLabel('Hvem møtte du?').inputValue(), 'Daglig leder');
  assert.equal(await phone.getByLabel('Varighet (minutter)').inputValue(), '10');
  await phone.getByLabel('Oppsummering').fill('Kveldsvakt: alt gikk fint.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  const saved = phone.locator('.visit-item', { hasText: 'Kveldsvakt: alt gikk fint.' });
  await saved.waitFor();
  assert.equal(await saved.locator('.visit-when').textContent(), '01.12.2026 19:45');
  assert.equal(await phone.locator('.visit-item').count(), visitsBefore + 1, 'only the complete visit was stored');
  await phone.context().close();
});

test('a new workplace without a name says so beside the name, with the organisation number', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.getByRole('link', { name: 'Arbeidssteder' }).click();
  await phone.getByRole('link', { name: 'Nytt arbeidssted' }).click();
  await phone.getByLabel('Organisasjonsnummer').fill('974 760 673');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  assert.equal(await phone.locator('#workplace-name-problem').textContent(), 'Skriv inn arbeidsplassens navn.');
  assert.equal(await phone.getByLabel('Navn på arbeidsstedet').getAttribute('aria-invalid'), 'true');
  await phone.getByRole('heading', { name: 'Nytt arbeidssted', level: 1 }).waitFor();
  await phone.context().close();
});

test('"last synced" survives closing the app, and says the day when it was not today', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  const lastSync = () => phone.locator('.sync-line').textContent();
  const says = (pattern) => phone.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('.sync-line')?.textContent ?? ''),
    pattern.source,
    { timeout: 15_000 },
  );
  await says(/Sist synkronisert \d\d:\d\d$/);
  await phone.context().setOffline(true);
  await phone.reload();
  await says(/Sist synkronisert \d\d:\d\d$/);
  assert.doesNotMatch(await lastSync(), /Ikke synkronisert ennå/);

  // Two days ago, as if the phone had been without coverage since.
  const twoDaysAgo = Date.now() - 2 * 24 * 3600 * 1000;
  await phone.evaluate((at) => localStorage.setItem('innom.last-sync.innom', String(at)), twoDaysAgo);
  await phone.reload();
  const day = await phone.evaluate((at) => {
    const d = new Date(at);
    return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
  }, twoDaysAgo);
  await says(new RegExp(`Sist synkronisert ${day.replaceAll('.', '\\.')} \\d\\d:\\d\\d$`));
  await phone.context().close();
});

// Need to know, in a real browser: a participant handed over to another
// team leaves the old advisor's phone (after the visit it recorded offline
// has reached the server) and arrives on the new team's phone.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ReferenceClient } from './reference_client.mjs';
import { PHONE, logIn, loggedInThenOffline, openPage, problemsBesideNetworkLoss, rememberSecret, staffToken, startServerAndBrowser, storedDocs } from './harness.mjs';

const env = startServerAndBrowser();

const demoId = (n) => `00001000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const YONAS = demoId(12);
const YONAS_PLACEMENT = demoId(22);
const YONAS_VISIT = demoId(32);

/** A JSON request to the API as the demo's office staff: `api(method, path, body)`. */
async function officeApi(url) {
  const staff = await staffToken(url);
  return (method, path, body) => fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${staff}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body),
  });
}

/** Waits (15 s at most) until the keys of the phone's stored records pass `check`. */
async function untilStored(page, check) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { keys } = await storedDocs(page);
    if (check(keys)) return;
    if (Date.now() > deadline) assert.fail(`the phone's records never changed as expected: ${keys.join(', ')}`);
    await new Promise((ok) => setTimeout(ok, 250));
  }
}

test('a handover: the old phone sends its offline visit, then drops the participant; the new team\'s phone has them', async () => {
  const url = env.server.url;
  const api = await officeApi(url);
  const east = await (await api('POST', '/api/admin/teams', { name: 'Øst' })).json();
  rememberSecret('et langt passord for nina');
  const nina = await api('POST', '/api/admin/users', {
    username: 'nina', display_name: 'Nina Berg', role: 'advisor', password: 'et langt passord for nina', teams: [east.id],
  });
  assert.equal(nina.status, 201);

  // Kari's phone, without coverage, records a visit about Yonas.
  const old = await openPage(env.browser, PHONE);
  await loggedInThenOffline(old, url);
  await old.getByRole('link', { name: 'Nytt besøk' }).click();
  await old.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await old.getByLabel('Yonas Tesfaye').check();
  await old.getByLabel('Grønn').check();
  await old.getByLabel('Oppsummering').fill('Skrevet uten dekning før overføringen.');
  await old.getByRole('button', { name: 'Lagre' }).click();
  await old.locator('.visit-item', { hasText: 'Skrevet uten dekning' }).waitFor();
  assert.ok((await storedDocs(old)).keys.includes(YONAS));

  // A client written from docs/SYNC.md, as Kari, holds Yonas too.
  const reference = await ReferenceClient.logIn(url, 'kari', 'stikkinnom');
  while ((await reference.sync()).more);
  assert.ok(reference.docs.has(YONAS));

  // The office hands Yonas over to Øst, with Nina responsible.
  assert.equal((await api('PUT', `/api/participants/${YONAS}/team`, { team: east.id, advisor: 'nina' })).status, 204);

  // Back in coverage: the visit reaches the server, then Yonas' records
  // leave Kari's phone; Amina's stay.
  await old.context().setOffline(false);
  await old.getByRole('button', { name: 'Synkroniser nå' }).click();
  await untilStored(old, (keys) => [YONAS, YONAS_PLACEMENT, YONAS_VISIT].every((id) => !keys.includes(id)));
  const visits = await (await api('GET', '/api/exports/visits.csv')).text();
  assert.ok(visits.includes('Skrevet uten dekning før overføringen.'), 'the offline visit is on the server');
  const left = await storedDocs(old);
  assert.ok(!left.texts.some((text) => text.includes('Skrevet uten dekning')), 'and no longer on the old phone');
  assert.ok(left.keys.includes(demoId(11)), 'Amina stays with Kari');
  assert.deepEqual(problemsBesideNetworkLoss(old), []);
  // The reference client follows "A changed scope" the same way.
  while ((await reference.sync()).more);
  assert.ok(![YONAS, YONAS_PLACEMENT, YONAS_VISIT].some((id) => reference.docs.has(id)), 'the reference client dropped Yonas');
  assert.ok(reference.docs.has(demoId(11)));

  // Nina's phone has Yonas, his placement and the visits about it.
  const fresh = await openPage(env.browser, PHONE);
  await fresh.goto(url);
  await logIn(fresh, 'nina', 'et langt passord for nina', 'Hei, Nina Berg');
  await fresh.locator('.visit-item', { hasText: 'Skrevet uten dekning' }).waitFor({ timeout: 15_000 });
  const hers = await storedDocs(fresh);
  for (const id of [YONAS, YONAS_PLACEMENT, YONAS_VISIT]) assert.ok(hers.keys.includes(id), id);
  assert.ok(!hers.keys.includes(demoId(11)), 'Amina is not on Nina\'s phone');
  await old.context().close();
  await fresh.context().close();
});

test('an app closed part way through a changed scope\'s bootstrap still drops, at its end, what it was not sent', async () => {
  const url = env.server.url;
  const api = await officeApi(url);
  const olena = [demoId(13), demoId(23), demoId(33)];
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await untilStored(phone, (keys) => keys.includes(olena[0]));
  await phone.context().setOffline(true);

  // Olena is handed over to another team. The first page of Kari's new
  // bootstrap is answered (here to a client holding the phone's session),
  // and the phone is closed before the next page: what it keeps is what
  // that page left, brought records noted (all but Olena's).
  const north = await (await api('POST', '/api/admin/teams', { name: 'Nord' })).json();
  assert.equal((await api('PUT', `/api/participants/${olena[0]}/team`, { team: north.id })).status, 204);
  const token = await phone.evaluate(() => JSON.parse(localStorage.getItem('innom.session')).token);
  await new ReferenceClient(url, token).exchange();
  await phone.evaluate(async (gone) => {
    const db = await new Promise((ok) => { const open = indexedDB.open('innom'); open.onsuccess = () => ok(open.result); });
    const keys = await new Promise((ok) => { const r = db.transaction('docs').objectStore('docs').getAllKeys(); r.onsuccess = () => ok(r.result); });
    const meta = db.transaction('meta', 'readwrite').objectStore('meta');
    meta.put(true, 'bootstrapping');
    meta.put(keys.filter((id) => !gone.includes(id)), 'rescoping');
    await new Promise((ok) => { meta.transaction.oncomplete = ok; });
    db.close();
  }, olena);
  await phone.reload();
  await phone.getByRole('button', { name: 'Synkroniser nå' }).waitFor();

  // Opened again with coverage: the bootstrap's last page ends it, and
  // Olena's records leave the phone.
  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await untilStored(phone, (keys) => olena.every((id) => !keys.includes(id)));
  assert.ok((await storedDocs(phone)).keys.includes(demoId(11)), 'Amina stays with Kari');
  assert.deepEqual(problemsBesideNetworkLoss(phone), []);
  await phone.context().close();
});

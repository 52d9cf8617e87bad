// User administration and lost phones, in a real browser against the real
// server: an admin adds and disables users and signs out devices; a phone
// whose session ends keeps its unsynced work, a wiped phone deletes it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DESKTOP, PHONE, assertAccessible, logIn, openPage, problemsBesideNetworkLoss, rememberSecret, screenshot, startServerAndBrowser, storedDocs } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

async function openUsersPage() {
  const admin = await openPage(env.browser, DESKTOP);
  await admin.goto(env.server.url);
  await logIn(admin, 'ola', 'stikkinnom', 'Hei, Ola Hansen');
  // User administration is in the office app, its own page at /kontor.
  await admin.getByRole('link', { name: 'Kontor' }).click();
  await admin.getByRole('link', { name: 'Brukere' }).click();
  await admin.getByRole('heading', { name: 'Ny bruker' }).waitFor();
  return admin;
}

/** Opens a user's device list on the admin page (fresh from the server). */
async function devicesOf(admin, username) {
  await admin.reload();
  const row = admin.locator(`.user-row[data-username="${username}"]`);
  await row.getByRole('button', { name: 'Vis enheter' }).click();
  await row.locator('.device').first().waitFor();
  return row;
}

/** The number of records in the phone's IndexedDB. */
async function storedRecords(page) {
  return (await storedDocs(page)).keys.length;
}

test('an admin adds a user who can log in, and disabling her ends her session', async () => {
  const admin = await openUsersPage();
  const form = admin.getByRole('region', { name: 'Ny bruker' });
  await form.getByLabel('Brukernavn').fill('emma');
  await form.getByLabel('Navn', { exact: true }).fill('Emma Lie');
  await form.getByLabel('Rolle').selectOption('advisor');
  // The demo has two teams: an advisor is put in one.
  await form.getByLabel('Alle').check();
  rememberSecret('et langt passord');
  await form.getByLabel('Passord', { exact: true }).fill('et langt passord');
  await form.getByRole('button', { name: 'Legg til bruker' }).click();
  await admin.getByText('Brukeren er lagt til.').waitFor();
  const row = admin.locator('.user-row[data-username="emma"]');
  await row.waitFor();
  await screenshot(admin, 'users-desktop-nb');
  await assertAccessible(admin, 'users page');

  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'emma', 'et langt passord', 'Hei, Emma Lie');

  const devices = await devicesOf(admin, 'emma');
  assert.equal(await devices.locator('.device[data-session-state="active"]').count(), 1);
  assert.match(await devices.locator('p').first().textContent(), /^1 aktiv enhet$/, 'one device, in the singular');
  // The page opens with its heading; each user is a heading under it.
  assert.deepEqual(await admin.locator('h1, h2').evaluateAll((hs) => hs.slice(0, 2).map((h) => h.tagName)), ['H1', 'H2']);
  await devices.getByRole('button', { name: 'Deaktiver' }).click();
  await admin.locator('.user-row[data-username="emma"][data-disabled="true"]').waitFor();

  await phone.reload();
  await phone.getByText('Økten din er avsluttet', { exact: false }).waitFor();
  await phone.getByRole('heading', { name: 'Logg inn' }).waitFor();
  assert.deepEqual(admin.problems, []);
});

test('a signed-out phone keeps its unsynced visit; a wiped phone deletes everything', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.locator('.visit-item').first().waitFor();

  // A visit recorded without coverage, then her session is ended.
  await phone.context().setOffline(true);
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await phone.getByLabel('Ingen praksisplass').check();
  await phone.getByLabel('Oppsummering').fill('Skrevet før økten ble avsluttet.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  const visit = phone.locator('.visit-item', { hasText: 'Skrevet før økten ble avsluttet.' });
  await visit.waitFor();

  const admin = await openUsersPage();
  const signedOut = await devicesOf(admin, 'kari');
  await signedOut.getByRole('button', { name: 'Logg ut enheten' }).click();
  await signedOut.locator('.device[data-session-state="revoked"]').waitFor();

  // Coming online starts a sync by itself; the click is for a slow one.
  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click({ timeout: 2_000 }).catch(() => {});
  await phone.getByText('Økten din er avsluttet', { exact: false }).waitFor();
  assert.ok((await storedRecords(phone)) > 0, 'the records stay on the phone');
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await visit.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });

  // Now the phone is lost: signed out with "wipe".
  const wiped = await devicesOf(admin, 'kari');
  admin.once('dialog', (dialog) => dialog.accept());
  await wiped.locator('.device[data-session-state="active"]').getByRole('button', { name: 'Logg ut og slett data' }).click();
  await wiped.locator('.device[data-session-state="wiped"]').waitFor();
  await screenshot(admin, 'users-devices-desktop-nb');

  // The phone may have called the server already (its event stream); if
  // not, a sync does it.
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click({ timeout: 2_000 }).catch(() => {});
  await phone.getByText('Denne enheten er logget ut av en administrator', { exact: false }).waitFor();
  await phone.waitForFunction(() => localStorage.getItem('innom.session') === null);
  await assert.doesNotReject(async () => {
    for (let tries = 0; (await storedRecords(phone)) > 0; tries += 1) {
      if (tries > 50) throw new Error('the phone still holds records');
      await new Promise((done) => setTimeout(done, 100));
    }
  });
  await screenshot(phone, 'login-wiped-phone-nb');
  await assertAccessible(phone, 'login page after wipe');
  // Expected: the ended sessions' 401s, and requests cut by going offline.
  assert.deepEqual(problemsBesideNetworkLoss(phone, ['401']), []);
});

test('an admin makes a team, puts a new advisor in it and moves another into it; an advisor keeps at least one team', async () => {
  const admin = await openUsersPage();
  const teams = admin.getByRole('region', { name: 'Team', exact: true });
  await teams.getByLabel('Navn på teamet').fill('Vest');
  await teams.getByRole('button', { name: 'Legg til team' }).click();
  await teams.getByText('Teamet er lagt til.').waitFor();
  await admin.locator('.team-row[data-team="Vest"]').waitFor();

  const form = admin.getByRole('region', { name: 'Ny bruker' });
  await form.getByLabel('Brukernavn').fill('nora');
  await form.getByLabel('Navn', { exact: true }).fill('Nora Berg');
  await form.getByLabel('Rolle').selectOption('advisor');
  await form.getByLabel('Vest').check();
  rememberSecret('nok et langt passord');
  await form.getByLabel('Passord', { exact: true }).fill('nok et langt passord');
  await form.getByRole('button', { name: 'Legg til bruker' }).click();
  await form.getByText('Brukeren er lagt til.').waitFor();

  const kari = admin.locator('.user-row[data-username="kari"]');
  await kari.getByLabel('Vest').check();
  await admin.locator('.team-row[data-team="Vest"]', { hasText: 'kari, nora' }).waitFor();
  await kari.getByLabel('Alle').uncheck();
  await admin.locator('.team-row[data-team="Alle"]:not(:has-text("kari"))').waitFor();
  await screenshot(admin, 'users-teams-desktop-nb');
  // Her last team cannot be taken away.
  await kari.getByLabel('Vest').uncheck();
  await kari.getByRole('alert').filter({ hasText: 'En rådgiver må være med i minst ett team.' }).waitFor();
  await assertAccessible(admin, 'users page with teams');

  const token = await admin.evaluate(() => JSON.parse(localStorage.getItem('innom.session')).token);
  const listed = await (await fetch(`${env.server.url}/api/admin/teams`, { headers: { Authorization: `Bearer ${token}` } })).json();
  assert.deepEqual(listed.find((team) => team.name === 'Vest').members, ['kari', 'nora']);
  assert.ok(!listed.find((team) => team.name === 'Alle').members.includes('kari'));
  assert.deepEqual(admin.problems.filter((p) => !p.includes('422')), []);
  await admin.context().close();
});

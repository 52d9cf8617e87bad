// Mentor feedback by link, in a real browser against the real server: an
// advisor makes a link, a mentor's phone opens it, gives feedback offline,
// and the advisor's home page flags the placement once it has synced.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { PHONE, launchBrowser, logIn, openPage, screenshot, startServer } from './harness.mjs';

// The demo placement of Amina Hassan at Fjordhotellet (demo record 21).
const PLACEMENT = '00001000-0000-4000-8000-000000000015';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** An API call with the advisor page's session token. */
async function advisorApi(page, method, path, body) {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('innom.session')).token);
  return fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('a mentor gives feedback offline from a link and the advisor sees the flag', async () => {
  const advisor = await openPage(browser, PHONE);
  await advisor.goto(server.url);
  await logIn(advisor, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  const made = await advisorApi(advisor, 'POST', `/api/placements/${PLACEMENT}/mentor-links`, {});
  assert.equal(made.status, 201);
  const { secret, link } = await made.json();

  // A fresh browser: the mentor's own phone.
  const mentor = await openPage(browser, PHONE);
  await mentor.goto(`${server.url}/fadder#${secret}`);
  await mentor.getByRole('heading', { name: 'Tilbakemelding fra fadder' }).waitFor();
  await mentor.getByText('Amina', { exact: false }).first().waitFor();
  assert.equal(new URL(mentor.url()).hash, '', 'the secret is gone from the address bar');
  assert.equal(await mentor.locator('nav, a[href="/"]').count(), 0, 'no menu leads anywhere else');
  assert.ok(!(await mentor.content()).includes('Hassan'), 'only the first name is shown');

  await mentor.context().setOffline(true);
  await mentor.getByRole('group', { name: 'Oppmøte' }).getByLabel('Bra').check();
  await mentor.getByRole('group', { name: 'Initiativ' }).getByLabel('Må øve mer').check();
  await mentor.getByRole('group', { name: 'Oppgaver mestret i denne fasen' }).getByRole('checkbox').first().check();
  await mentor.getByRole('group', { name: 'Klar for neste fase?' }).getByLabel('Ikke ennå').check();
  await mentor.getByLabel('Dette går bra').fill('Grundig med sengene');
  await mentor.getByLabel('Kontakt meg').check();
  await mentor.getByRole('group', { name: 'Status' }).getByLabel('Rød').check();
  await mentor.getByRole('button', { name: 'Lagre' }).click();

  const saved = mentor.locator('.feedback-item', { hasText: 'Grundig med sengene' });
  await saved.waitFor();
  assert.equal(await saved.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');
  await screenshot(mentor, 'mentor-feedback-offline-phone-nb');

  await mentor.context().setOffline(false);
  await saved.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 20_000 });

  // The advisor's phone syncs and flags the placement.
  await advisor.getByRole('button', { name: 'Synkroniser nå' }).click();
  const flagged = advisor.locator('.attention-item', { hasText: 'Amina Hassan' });
  await flagged.waitFor({ timeout: 15_000 });
  const flags = await flagged.locator('.flag').allTextContents();
  assert.deepEqual(flags, ['Fadder ber om kontakt', 'Rød status fra fadder', 'Ikke klar for neste fase']);
  await screenshot(advisor, 'home-attention-phone-nb');

  // Revoked: the mentor's phone says so and still shows what was written.
  const revoked = await advisorApi(advisor, 'POST', `/api/placements/${PLACEMENT}/mentor-links/${link.id}/revoke`);
  assert.equal(revoked.status, 204);
  await mentor.reload();
  await mentor.getByText('Denne lenken virker ikke lenger', { exact: false }).waitFor();
  await mentor.locator('.feedback-item', { hasText: 'Grundig med sengene' }).waitFor();
  await screenshot(mentor, 'mentor-link-revoked-phone-nb');

  // Expected: requests that failed while offline, and the revoked session's 401.
  const expected = ['ERR_INTERNET_DISCONNECTED', '401', '410'];
  assert.deepEqual(mentor.problems.filter((p) => !expected.some((e) => p.includes(e))), []);
  assert.deepEqual(advisor.problems, []);
});

test('an expired or unknown link shows a clear page, not the form', async () => {
  const mentor = await openPage(browser, PHONE);
  await mentor.goto(`${server.url}/fadder#not-a-real-secret`);
  await mentor.getByText('Denne lenken virker ikke lenger – kontakt veilederen din.').waitFor();
  assert.equal(await mentor.getByRole('button', { name: 'Lagre' }).count(), 0);
});

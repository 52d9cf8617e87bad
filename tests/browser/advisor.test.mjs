// The advisor's day on a phone with no coverage, in a real browser against
// the real server: record a drop-in with a concern and a follow-up from a
// placement's page, tick a training-plan task, move the placement to phase
// 2, close and reopen the app offline, then sync and check the server.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PHONE, assertAccessible, logIn, loggedInThenOffline, openPage, rememberSecret, screenshot, startServerAndBrowser } from './harness.mjs';

const env = startServerAndBrowser();

// The demo's Yonas Tesfaye (participant 12) and his placement at Kiwi (22).
const YONAS = '00001000-0000-4000-8000-00000000000c';

/** Yesterday as `YYYY-MM-DD`, in the browser's time zone: a due date already passed. */
function yesterday() {
  const day = new Date(Date.now() - 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** Everything the server holds about Yonas, read as office staff. */
async function serverRecordsAboutYonas() {
  const login = await fetch(`${env.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'ola', password: 'stikkinnom' }),
  });
  const { token } = await login.json();
  rememberSecret(token);
  const response = await fetch(`${env.server.url}/api/participants/${YONAS}/export`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200);
  return (await response.json()).records.map((r) => r.content);
}

test('the home page lists placements that need a visit and those ending within 14 days', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  const quiet = phone.getByRole('region', { name: 'Trenger besøk (ikke besøkt på 14 dager)' });
  await quiet.getByRole('link', { name: 'Yonas Tesfaye' }).waitFor({ timeout: 15_000 });
  assert.equal(await quiet.getByRole('link', { name: 'Amina Hassan' }).count(), 0, 'Amina was visited three days ago');
  const ending = phone.getByRole('region', { name: 'Slutter innen 14 dager' });
  await ending.getByRole('link', { name: 'Olena Kovalenko' }).waitFor();
  assert.match(await ending.textContent(), /slutter \d\d\.\d\d\.\d{4}/);
  await screenshot(phone, 'home-reminders-phone-nb');
  await assertAccessible(phone, 'home page with reminders');
  await phone.context().close();
});

test('offline: a visit with a concern and a follow-up, a ticked task and phase 2 survive closing the app and reach the server', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);

  // The placement page: tick a task and move to phase 2.
  const placements = phone.getByRole('region', { name: 'Praksisplasser' });
  await placements.getByRole('link', { name: 'Yonas Tesfaye' }).click();
  await phone.getByRole('heading', { name: 'Yonas Tesfaye' }).waitFor();
  const plan = phone.getByRole('region', { name: 'Opplæringsplan' });
  await plan.getByLabel('Sjekke datoer').check();
  await plan.getByRole('group', { name: 'Nåværende fase' }).getByRole('radio', { name: 'Fase 2' }).check();
  await phone.waitForFunction(() => document.querySelector('input[name="phase"][value="2"]')?.checked);
  await screenshot(phone, 'placement-training-plan-phone-nb');
  await assertAccessible(phone, 'placement page with the training plan');

  // A visit from the placement page: workplace and placement come pre-filled.
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Hvem møtte du?').waitFor();
  assert.equal(await phone.locator('#workplace option:checked').textContent(), 'Kiwi Sentrum');
  assert.ok(await phone.getByLabel('Yonas Tesfaye').isChecked(), 'the placement is pre-selected');
  await phone.getByLabel('Hvem møtte du?').fill('Butikksjef og fadder');
  await phone.getByRole('group', { name: 'Status' }).getByLabel('Gul').check();
  await phone.getByRole('group', { name: 'Bekymringer' }).getByLabel('Punktlighet').check();
  await phone.getByLabel('Oppsummering').fill('Yonas kom for sent to dager; ellers god innsats.');
  await phone.getByLabel('Oppfølging', { exact: true }).fill('Finne en tidligere buss med Yonas');
  await phone.getByLabel('Frist').fill(yesterday());
  await phone.getByRole('group', { name: 'Jobbmulighet' }).getByLabel('Mulig').check();
  await screenshot(phone, 'visit-form-filled-phone-nb');
  await assertAccessible(phone, 'visit form');
  await phone.getByRole('button', { name: 'Lagre' }).click();

  // Home: the follow-up is listed, overdue, until done.
  const followUp = phone.locator('.follow-up-item', { hasText: 'Finne en tidligere buss med Yonas' });
  await followUp.waitFor();
  assert.match(await followUp.textContent(), /Forfalt/);
  await screenshot(phone, 'home-follow-ups-phone-nb');
  await assertAccessible(phone, 'home page with follow-ups');

  // Closed and opened again, still offline: everything is read back.
  const context = phone.context();
  await phone.close();
  const again = await context.newPage();
  await again.goto(env.server.url);
  await again.locator('.follow-up-item', { hasText: 'Finne en tidligere buss med Yonas' }).waitFor();
  const visit = again.locator('.visit-item', { hasText: 'Yonas kom for sent' });
  assert.equal(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');
  await again.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Yonas Tesfaye' }).click();
  const planAgain = again.getByRole('region', { name: 'Opplæringsplan' });
  await planAgain.waitFor();
  assert.ok(await planAgain.getByLabel('Sjekke datoer').isChecked());
  assert.ok(await planAgain.getByRole('radio', { name: 'Fase 2' }).isChecked());

  // Online: everything is confirmed and on the server.
  await context.setOffline(false);
  await again.getByRole('link', { name: 'Innom', exact: true }).click();
  await again.getByRole('button', { name: 'Synkroniser nå' }).click();
  await visit.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });
  await again.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });

  const records = await serverRecordsAboutYonas();
  const placement = records.find((r) => r.kind === 'placement');
  assert.equal(placement.phase, 2);
  assert.equal(placement.tasks.find((t) => t.text === 'Sjekke datoer').mastered, true);
  const saved = records.find((r) => r.kind === 'visit' && r.summary.startsWith('Yonas kom for sent'));
  assert.ok(saved, 'the visit is on the server');
  assert.deepEqual(saved.placements, [placement.id]);
  assert.equal(saved.met, 'Butikksjef og fadder');
  assert.equal(saved.status, 'yellow');
  assert.equal(saved.job_signal, 'possible');
  assert.deepEqual(saved.concerns.map((c) => c.tag), ['punctuality']);
  assert.deepEqual(saved.follow_ups.map((f) => [f.text, f.due, f.done]), [['Finne en tidligere buss med Yonas', yesterday(), false]]);
  await context.close();
});

test('ticking a follow-up off on the home page marks it done', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  const followUp = phone.locator('.follow-up-item', { hasText: 'Finne en tidligere buss med Yonas' });
  await followUp.waitFor({ timeout: 15_000 });
  // A click, not `check()`: once done, the item leaves the list at once.
  await followUp.getByRole('checkbox').click();
  await followUp.waitFor({ state: 'detached' });
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });
  const saved = (await serverRecordsAboutYonas()).find((r) => r.kind === 'visit' && r.summary.startsWith('Yonas kom for sent'));
  assert.equal(saved.follow_ups[0].done, true);
  assert.deepEqual(phone.problems, []);
});

test('ending a placement: ended early needs a reason; hired is saved with the day and reaches the server', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.getByRole('region', { name: 'Slutter innen 14 dager' }).getByRole('link', { name: 'Olena Kovalenko' }).click();
  const end = phone.getByRole('region', { name: 'Avslutt praksisen' });
  await end.getByRole('radio', { name: 'Avsluttet tidlig' }).check();
  await end.getByRole('button', { name: 'Avslutt praksisen' }).click();
  await end.getByText('Skriv en begrunnelse når praksisen avsluttes tidlig.').waitFor();
  await assertAccessible(phone, 'ending a placement, with an error');
  await end.getByRole('radio', { name: 'Fikk jobb' }).check();
  const day = await end.getByLabel('Sluttdato').inputValue();
  await end.getByRole('button', { name: 'Avslutt praksisen' }).click();
  const ended = phone.getByRole('region', { name: 'Praksisen er avsluttet' });
  await ended.getByText(`Fikk jobb · ${day.split('-').reverse().join('.')}`).waitFor();
  await screenshot(phone, 'placement-ended-phone-nb');
  await phone.getByRole('link', { name: 'Innom', exact: true }).click();
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });

  const login = await fetch(`${env.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'ola', password: 'stikkinnom' }),
  });
  const { token } = await login.json();
  rememberSecret(token);
  const timeline = await (await fetch(`${env.server.url}/api/placements/00001000-0000-4000-8000-000000000017/timeline`, {
    headers: { Authorization: `Bearer ${token}` },
  })).json();
  assert.equal(timeline.participant, 'Olena Kovalenko');
  assert.equal(timeline.status, 'hired');
  assert.ok(timeline.entries.some((e) => e.kind === 'status_changed' && e.code === 'hired'), 'the timeline shows the change');
  await phone.context().close();
});

test('workplaces offline: search the list, open one with its notes, contacts to tap, placements and visits', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  await phone.getByRole('link', { name: 'Arbeidssteder' }).click();
  await phone.getByRole('heading', { name: 'Arbeidssteder' }).waitFor();
  const all = await phone.locator('.workplace-item').count();
  assert.ok(all >= 3, `the demo workplaces (${all})`);
  await phone.getByLabel('Søk på navn').fill('fjord');
  await phone.waitForFunction(() => document.querySelectorAll('.workplace-item').length === 1);
  await screenshot(phone, 'workplaces-phone-nb');
  await assertAccessible(phone, 'workplace list');
  await phone.getByRole('link', { name: 'Fjordhotellet' }).click();
  await phone.getByRole('heading', { name: 'Fjordhotellet', level: 1 }).waitFor();
  assert.ok(await phone.getByRole('region', { name: 'Kontaktpersoner' }).locator('a[href^="tel:"]').count() >= 1);
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).waitFor();
  assert.ok(await phone.getByRole('region', { name: 'Besøk' }).locator('.visit-item').count() >= 1);
  assert.match(await phone.locator('.facts').textContent(), /Hotell/);
  await screenshot(phone, 'workplace-phone-nb');
  await assertAccessible(phone, 'workplace page');
  await phone.context().close();
});

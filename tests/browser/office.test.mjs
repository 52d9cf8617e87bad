// The office app at /kontor, in a real browser against the real server:
// the attention list updating live from a phone's sync, a review that
// travels to the advisor's phone and back with the answer, a concurrent
// edit resolved from the history view, the programme figures, and the
// CSV exports.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { DESKTOP, PHONE, assertAccessible, logIn, loggedInThenOffline, openPage, screenshot, startServerAndBrowser } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

const AMINA_PLACEMENT = '00001000-0000-4000-8000-000000000015';

/** Staff member Ola, logged in on the office app's own login form. */
async function openOffice() {
  const office = await openPage(env.browser, DESKTOP);
  await office.goto(`${env.server.url}/kontor`);
  await office.getByRole('heading', { name: 'Innom kontor' }).waitFor();
  await logIn(office, 'ola', 'stikkinnom', 'Trenger oppfølging');
  return office;
}

/** Kari's phone, online, with the demo records synced. */
async function openPhone() {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.locator('.visit-item').first().waitFor();
  return phone;
}

/** Syncs the phone from its home page and waits until nothing is unconfirmed. */
async function syncPhone(phone) {
  await phone.getByRole('link', { name: 'Innom', exact: true }).click();
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });
}

/** Searches the attention list and waits until it shows exactly `rows` rows. */
async function search(office, text, rows) {
  await office.getByLabel('Søk på navn').fill(text);
  await office.waitForFunction((n) => document.querySelectorAll('table.attention tbody tr').length === n, rows);
}

/** The text of a file the page downloads when `click` runs. */
async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFile(await download.path(), 'utf8');
}

test('an advisor only gets a notice at /kontor; it is for office staff', async () => {
  const page = await openPage(env.browser, PHONE);
  await page.goto(`${env.server.url}/kontor`);
  await logIn(page, 'kari', 'stikkinnom');
  await page.getByText('Kontorsidene er for ansatte på kontoret').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Trenger oppfølging' }).count(), 0);
  await page.context().close();
});

test('a red visit synced from a phone shows on the open attention list within 2 seconds, without a reload', async () => {
  const office = await openOffice();
  await search(office, 'Amina', 1);
  const row = office.locator('table.attention tbody tr', { hasText: 'Amina Hassan' });
  await row.waitFor();
  assert.equal(await row.getByText('Rød status').count(), 0);
  await screenshot(office, 'office-attention-desktop-nb');
  await assertAccessible(office, 'office attention list');
  await office.evaluate(() => { window.notReloaded = true; });

  const phone = await openPhone();
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByLabel('Hvem møtte du?').fill('Fadder');
  await phone.getByRole('group', { name: 'Status' }).getByLabel('Rød').check();
  await phone.getByLabel('Oppsummering').fill('Amina har vondt i ryggen etter sengeredding.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.locator('.visit-item', { hasText: 'vondt i ryggen' }).locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });

  // The server has stored the visit: the office must show it within 2 s.
  const started = Date.now();
  await row.getByText('Rød status').waitFor({ timeout: 2_000 });
  console.log(`live update reached the office in ${Date.now() - started} ms after the phone saw it confirmed`);
  assert.equal(await office.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  assert.deepEqual(office.problems, []);
  await phone.context().close();
  await office.context().close();
});

test('review round trip: the office asks for more, the phone shows the task, the answer reaches the office', async () => {
  const office = await openOffice();
  await search(office, 'Amina', 1);
  await office.getByRole('link', { name: 'Amina Hassan' }).click();
  await office.getByRole('heading', { name: 'Amina Hassan – Fjordhotellet' }).waitFor();
  const entry = office.locator('.timeline-entry', { hasText: 'vondt i ryggen' });
  await entry.waitFor();
  // The agreed meetings and the contract, as the phone recorded them.
  const facts = await office.locator('.facts').textContent();
  assert.match(facts, /1\. oppfølgingsmøte\d\d\.\d\d\.\d{4}/);
  assert.match(facts, /PraksiskontraktSignert/);
  assert.match(facts, /VeilederKari Nordmann/, 'the advisor by name');
  assert.match(await entry.textContent(), / · Kari Nordmann/, 'who made the visit, by name');
  await screenshot(office, 'office-timeline-desktop-nb');
  await assertAccessible(office, 'office placement timeline');
  // A question needs words: an empty one is not sent.
  await entry.getByRole('button', { name: 'Be om mer informasjon' }).click();
  await entry.getByText('Skriv spørsmålet til veilederen i kommentarfeltet først.').waitFor();
  assert.equal(await entry.getByText('Trenger mer informasjon').count(), 0, 'nothing was sent');
  await entry.getByLabel('Kommentar til veileder').fill('Har hun fått legetime?');
  await entry.getByRole('button', { name: 'Be om mer informasjon' }).click();
  await entry.getByText('Gjennomgang: Trenger mer informasjon (spurt av Ola Hansen)').waitFor();

  const phone = await openPhone();
  const question = phone.getByRole('region', { name: 'Kontoret ber om mer informasjon' });
  // The question names who it is about and who asked, by full name.
  await question.getByText('Ola Hansen: «Har hun fått legetime?»').waitFor({ timeout: 15_000 });
  await question.getByText('Amina Hassan · Fjordhotellet').waitFor();
  await screenshot(phone, 'home-office-question-phone-nb');
  await assertAccessible(phone, 'home page with a question from the office');
  await question.getByLabel('Svar til kontoret').fill('Ja, hos fastlegen på fredag.');
  await question.getByRole('button', { name: 'Send svar' }).click();
  await question.waitFor({ state: 'detached' });
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });

  // The open timeline picks the answer up from the event stream.
  await entry.getByText('Svar til kontoret: Ja, hos fastlegen på fredag.').waitFor({ timeout: 15_000 });
  // Answered, it reads as waiting for the office, not as refused by it.
  await entry.getByText('Gjennomgang: Besvart av veilederen, venter på ny gjennomgang (spurt av Ola Hansen)').waitFor();
  await entry.getByRole('button', { name: 'Merk som gjennomgått' }).click();
  await entry.getByText('Gjennomgang: Gjennomgått av Ola Hansen').waitFor();

  // The workplace's overview, from the timeline.
  await office.getByRole('link', { name: 'Fjordhotellet' }).click();
  await office.getByRole('heading', { name: 'Fjordhotellet', level: 1 }).waitFor();
  const contacts = office.getByRole('region', { name: 'Kontaktpersoner' });
  assert.ok(await contacts.locator('a[href^="tel:"]').count() >= 1, 'tap to call');
  await office.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).waitFor();
  assert.match(await office.getByRole('region', { name: 'Praksisplasser' }).textContent(), /Kari Nordmann/);
  await screenshot(office, 'office-workplace-desktop-nb');
  await assertAccessible(office, 'office workplace overview');
  assert.deepEqual(office.problems, []);
  await phone.context().close();
  await office.context().close();
});

test('two phones change the same phase offline; the history shows both; the office picks one and every device gets it', async () => {
  const first = await openPage(env.browser, PHONE);
  const second = await openPage(env.browser, PHONE);
  await loggedInThenOffline(first, env.server.url);
  await loggedInThenOffline(second, env.server.url);
  for (const [phone, phase] of [[first, 'Fase 3'], [second, 'Fase 1']]) {
    await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
    await phone.getByRole('radio', { name: phase }).check();
    await phone.waitForFunction((value) => document.querySelector(`input[name="phase"][value="${value}"]`)?.checked, phase.slice(-1));
  }
  for (const phone of [first, second]) {
    await phone.context().setOffline(false);
    await syncPhone(phone);
  }

  const office = await openOffice();
  // The attention list marks the placement until someone chooses.
  await search(office, 'Amina', 1);
  await office.locator('table.attention tbody tr', { hasText: 'Motstridende verdier' }).waitFor();
  await office.goto(`${env.server.url}/kontor/historikk/${AMINA_PLACEMENT}`);
  const conflict = office.locator('fieldset.conflict', { hasText: 'Fase' });
  await conflict.waitFor();
  // Under a heading naming the record; people by name, no internals.
  await office.getByRole('heading', { name: 'Praksisplass: Amina Hassan · Fjordhotellet', level: 1 }).waitFor();
  assert.deepEqual((await conflict.locator('.value').allTextContents()).sort(), ['1', '3']);
  // Fields by their everyday names, codes and yes/no in words.
  const created = await office.locator('table.history tbody tr', { hasText: 'demodata' }).textContent();
  for (const shown of ['Praksiskontrakt signert: ja', 'Status: Aktiv', 'Fase: 2', 'Jobbmulighet: Sannsynlig']) {
    assert.ok(created.includes(shown), `${shown} in ${created}`);
  }
  assert.match(created, /Startdato: \d\d\.\d\d\.\d{4}/, 'a day as people write it');
  assert.ok(created.includes('Deltaker: Amina Hassan') && created.includes('Arbeidssted: Fjordhotellet'), created);
  for (const internal of ['schema_version', 'kind', '00001000-', '[]']) {
    assert.ok(!created.includes(internal), `no ${internal} in ${created}`);
  }
  await screenshot(office, 'office-history-conflict-desktop-nb');
  await assertAccessible(office, 'office history with a conflict');
  await conflict.getByRole('button', { name: 'Velg denne: 3' }).click();
  await office.getByText('Ingen samtidige endringer.').waitFor();
  assert.ok(await office.locator('table.history tbody tr', { hasText: 'Ola Hansen' }).count() >= 1, 'the choice is in the history as Ola\'s change');
  // "Back" returns to where staff came from: the attention list.
  await office.getByRole('button', { name: 'Tilbake' }).click();
  await office.getByRole('heading', { name: 'Trenger oppfølging' }).waitFor();

  for (const phone of [first, second]) {
    await syncPhone(phone);
    await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
    await phone.waitForFunction(() => document.querySelector('input[name="phase"][value="3"]')?.checked);
  }
  assert.deepEqual(office.problems, []);
  for (const page of [first, second, office]) await page.context().close();
});

test('staff find an advisor by name; closed filters still say they are in use; one row is one "praksisplass"', async () => {
  const office = await openOffice();
  await search(office, 'Amina', 1);
  assert.equal(await office.locator('p.count').textContent(), '1 praksisplass');
  const row = office.locator('table.attention tbody tr', { hasText: 'Amina Hassan' });
  assert.equal(await row.locator('td').nth(2).textContent(), 'Kari Nordmann', 'the advisor by name, not username');
  await office.getByLabel('Søk på navn').fill('');
  await office.waitForFunction(() => document.querySelectorAll('table.attention tbody tr').length > 1);

  const filters = office.locator('details.filters');
  await filters.locator('summary').click();
  await office.getByLabel('Veileder').fill('NORDMANN');
  await office.getByLabel('Veileder').press('Enter');
  await filters.locator('summary', { hasText: '(1 i bruk)' }).waitFor();
  await office.waitForFunction(() => {
    const cells = [...document.querySelectorAll('table.attention tbody tr td:nth-child(3)')];
    return cells.length > 0 && cells.every((cell) => cell.textContent === 'Kari Nordmann');
  });
  await screenshot(office, 'office-attention-filters-desktop-nb');
  await assertAccessible(office, 'office attention list with its filters open');
  // Closed, the summary still tells that the list is filtered.
  await filters.locator('summary').click();
  assert.equal(await filters.getAttribute('open'), null);
  assert.match(await filters.locator('summary').textContent(), /Filtre\s*\(1 i bruk\)/);

  await filters.locator('summary').click();
  await office.getByLabel('Veileder').fill('Nordmannsen');
  await office.getByLabel('Veileder').press('Enter');
  await office.getByText('Ingen praksisplasser trenger oppfølging nå.').waitFor();
  await office.getByRole('button', { name: 'Nullstill filtre' }).click();
  await office.locator('table.attention tbody tr').first().waitFor();
  assert.doesNotMatch(await filters.locator('summary').textContent(), /i bruk/);
  assert.deepEqual(office.problems, []);
  await office.context().close();
});

test('programme figures as a table and charts, English, and CSV exports of the filtered list and of every visit', async () => {
  const office = await openOffice();
  await office.getByRole('link', { name: 'Tall' }).click();
  await office.getByRole('heading', { name: 'Programtall' }).waitFor();
  const visits = office.locator('table.figures tr').filter({ has: office.getByRole('rowheader', { name: 'Besøk', exact: true }) });
  assert.ok(Number(await visits.locator('td').textContent()) >= 5, 'the demo visits and the one from the phone');
  assert.equal(await office.locator('figure.chart svg[role="img"]').count(), 3);
  assert.match(await office.locator('figure.chart svg').first().getAttribute('aria-label'), /^Besøk per uke: uke [1-9]\d? \d{4}: \d+, /,
    'weeks as people say them');
  await screenshot(office, 'office-figures-desktop-nb');
  await assertAccessible(office, 'office figures');

  await office.getByRole('link', { name: 'Trenger oppfølging' }).click();
  await search(office, 'Yonas', 1);
  await office.locator('table.attention tbody tr', { hasText: 'Yonas Tesfaye' }).waitFor();
  const list = await downloaded(office, () => office.getByRole('button', { name: 'Listen slik den er filtrert (CSV)' }).click());
  assert.ok(list.startsWith('\uFEFF"Praksis-ID";"Deltaker"'), 'BOM, quoted Norwegian headers, semicolons');
  assert.match(list, /"Yonas Tesfaye";"Kiwi Sentrum"/);
  assert.doesNotMatch(list, /Amina/, 'only the filtered rows');
  const all = await downloaded(office, () => office.getByRole('button', { name: 'Besøk (CSV)' }).click());
  assert.match(all, /vondt i ryggen/);

  await office.getByRole('button', { name: 'English' }).click();
  await office.getByRole('heading', { name: 'Needs attention' }).waitFor();
  await assertAccessible(office, 'office attention list in English');
  assert.deepEqual(office.problems, []);
  await office.context().close();
});

test('an admin sees who has seen a participant, and downloads the access log as CSV', async () => {
  const phone = await openPhone();
  await syncPhone(phone);
  const office = await openOffice();
  await office.goto(`${env.server.url}/kontor/praksis/${AMINA_PLACEMENT}`);
  const seen = office.getByRole('region', { name: 'Hvem har sett deltakeren' });
  await seen.waitFor();
  const kari = seen.getByRole('row').filter({ hasText: 'Kari Nordmann' });
  await kari.filter({ hasText: 'Synkronisert til enhet' }).first().waitFor();
  // Ola's own look at this page is logged before the list is read.
  await seen.getByRole('row').filter({ hasText: 'Ola Hansen' }).filter({ hasText: 'Vist på kontoret' }).first().waitFor();
  await assertAccessible(office, 'office timeline with the access log');
  const log = await downloaded(office, () => seen.getByRole('button', { name: 'Last ned tilgangsloggen (CSV)' }).click());
  assert.ok(log.startsWith('\uFEFF"Dag";"Første gang";"Hvem"'), log.slice(0, 80));
  assert.match(log, /"kari";"Kari Nordmann";"[0-9a-f-]{36}";"Amina [^"]*";"Synkronisert til enhet"/);
  assert.deepEqual(office.problems, []);
  await office.context().close();
  await phone.context().close();
});

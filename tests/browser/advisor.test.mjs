// The advisor's day on a phone with no coverage, in a real browser against
// the real server: record a drop-in with a concern and a follow-up from a
// placement's page, tick a training-plan task, move the placement to phase
// 2, close and reopen the app offline, then sync and check the server.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PHONE, assertAccessible, logIn, loggedInThenOffline, openPage, screenshot, staffToken, startServerAndBrowser } from './harness.mjs';

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
  const token = await staffToken(env.server.url);
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
  // A row's name is a full-width target at least 44 px high.
  const link = await quiet.getByRole('link', { name: 'Yonas Tesfaye' }).boundingBox();
  const row = await quiet.locator('.placement-item', { hasText: 'Yonas Tesfaye' }).boundingBox();
  assert.ok(link.height >= 44 && link.width >= row.width - 1, JSON.stringify({ link, row }));
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
  // The form says the visit is saved on this phone before it moves on to
  // the home page (watched in the page: the message shows for a frame).
  await phone.evaluate(() => {
    window.savedShown = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const status = document.querySelector('form .saved[role="status"]');
        if (status) {
          observer.disconnect();
          resolve(status.textContent);
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
  });
  await phone.getByRole('button', { name: 'Lagre' }).click();
  assert.equal(await phone.evaluate(() => window.savedShown), 'Lagret på telefonen. Sendes når du har dekning.');

  // Home: the follow-up is listed, overdue, until done.
  const followUp = phone.locator('.follow-up-item', { hasText: 'Finne en tidligere buss med Yonas' });
  await followUp.waitFor();
  assert.match(await followUp.textContent(), /Forfalt/);
  // Overdue, so it is among what is due today, at the top of the page.
  const due = phone.getByRole('region', { name: 'Dette haster i dag' });
  assert.equal(await due.locator('.follow-up-item', { hasText: 'Finne en tidligere buss med Yonas' }).count(), 1);
  const order = await phone.evaluate(() => [...document.querySelectorAll('main h2')].map((h) => h.id));
  assert.ok(order.indexOf('today-heading') < order.indexOf('visits-heading'), order.join());
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
  // Each recent visit says when it was, as Norwegians write it.
  const today = await again.evaluate(() => {
    const d = new Date();
    return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
  });
  assert.match(await visit.locator('.visit-when').textContent(), new RegExp(`^${today.replaceAll('.', '\\.')} \\d{2}:\\d{2}$`));
  await again.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Yonas Tesfaye' }).click();
  const planAgain = again.getByRole('region', { name: 'Opplæringsplan' });
  await planAgain.waitFor();
  assert.ok(await planAgain.getByLabel('Sjekke datoer').isChecked());
  assert.ok(await planAgain.getByRole('radio', { name: 'Fase 2' }).isChecked());

  // Online: everything is confirmed and on the server. Home by the
  // header's visible link.
  await context.setOffline(false);
  await again.getByRole('link', { name: 'Hjem', exact: true }).click();
  await again.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
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
  // Ending is folded away until asked for.
  const end = phone.locator('details.fold');
  assert.equal(await end.getByRole('radio', { name: 'Avsluttet tidlig' }).isVisible(), false, 'folded at first');
  await end.locator('summary').click();
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

  const token = await staffToken(env.server.url);
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

test('offline: a new workplace (organisation number checked as typed), a new participant and a placement from the hotel template reach the server', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);

  // A new workplace; the organisation number is checked while it is typed.
  await phone.getByRole('link', { name: 'Arbeidssteder' }).click();
  await phone.getByRole('link', { name: 'Nytt arbeidssted' }).click();
  await phone.getByLabel('Navn på arbeidsstedet').fill('Strandhotellet');
  const org = phone.getByLabel('Organisasjonsnummer');
  const orgState = phone.locator('#org-number-state');
  await org.fill('974 760');
  await orgState.getByText('Et organisasjonsnummer har ni siffer.').waitFor();
  await org.fill('974 760 674');
  await orgState.getByText('Kontrollsifferet stemmer ikke. Sjekk nummeret for skrivefeil.').waitFor();
  assert.equal(await org.getAttribute('aria-invalid'), 'true');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.getByRole('alert').getByText('Kontrollsifferet stemmer ikke').waitFor();
  await org.fill('974 760 673');
  await orgState.getByText('Gyldig organisasjonsnummer.').waitFor();
  await phone.getByLabel('Bransje').selectOption({ label: 'Hotell' });
  await phone.getByRole('group', { name: 'Travle måneder' }).getByLabel('juli').check();
  await phone.getByLabel('Behov').fill('Trenger folk til rom og frokost i sesongen.');
  await phone.getByRole('button', { name: 'Legg til kontaktperson' }).click();
  const contact = phone.getByRole('group', { name: 'Kontaktperson 1' });
  await contact.getByLabel('Navn').fill('Per Hansen');
  await contact.getByLabel('Telefon').fill('+47 912 34 567');
  await screenshot(phone, 'workplace-new-phone-nb');
  await assertAccessible(phone, 'new workplace form');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.getByRole('heading', { name: 'Strandhotellet', level: 1 }).waitFor();
  const workplaceId = new URL(phone.url()).pathname.split('/').pop();
  assert.match(await phone.locator('.facts').textContent(), /974 760 673/);
  await phone.locator('a[href="tel:+4791234567"]').waitFor();

  // Edited: the form comes filled in, and the change shows on the page.
  await phone.getByRole('link', { name: 'Endre' }).click();
  assert.equal(await phone.getByLabel('Navn på arbeidsstedet').inputValue(), 'Strandhotellet');
  assert.equal(await org.inputValue(), '974 760 673');
  await phone.getByLabel('Adresse').fill('Strandkaien 3, 5013 Bergen');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.locator('.facts').getByText('Strandkaien 3, 5013 Bergen').waitFor();

  // A new participant, then a placement for them from the participant list.
  await phone.getByRole('link', { name: 'Innom', exact: true }).click();
  await phone.getByRole('link', { name: 'Deltakere' }).click();
  await phone.getByLabel('Navn deltakeren bruker').fill('Nadia Rahimi');
  await phone.getByLabel('Norsknivå').selectOption({ label: 'A2' });
  await phone.getByRole('button', { name: 'Legg til deltaker' }).click();
  await phone.getByRole('status').getByText('Deltaker lagt til: Nadia Rahimi').waitFor();
  const nadia = phone.locator('.participant-item', { hasText: 'Nadia Rahimi' });
  await nadia.waitFor();
  await phone.getByLabel('Søk på navn').fill('nadia');
  await phone.waitForFunction(() => document.querySelectorAll('.participant-item').length === 1);
  await screenshot(phone, 'participants-phone-nb');
  await assertAccessible(phone, 'participant list');
  await nadia.getByRole('link', { name: 'Ny praksisplass' }).click();
  assert.equal(await phone.locator('#placement-participant option:checked').textContent(), 'Nadia Rahimi');
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Strandhotellet' });
  const template = phone.getByLabel(/Start med opplæringsplanen for Hotell \(12 oppgaver\)/);
  assert.ok(await template.isChecked(), 'the hotel template is chosen');
  await phone.getByLabel('Fadder (navn)').fill('Per Hansen');
  await screenshot(phone, 'placement-new-phone-nb');
  await assertAccessible(phone, 'new placement form');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.getByRole('heading', { name: 'Nadia Rahimi' }).waitFor();
  const placementId = new URL(phone.url()).pathname.split('/').pop();
  const plan = phone.getByRole('region', { name: 'Opplæringsplan' });
  await plan.getByLabel('Re senger og gjøre klar rom etter sjekkliste').waitFor();

  // The two agreed follow-up meetings, the contract and the job prospect.
  const agreed = phone.getByRole('region', { name: 'Avtalte oppfølgingsmøter' });
  const first = agreed.getByRole('group', { name: '1. oppfølgingsmøte' });
  assert.ok(await first.getByLabel('Holdt').isDisabled(), 'a meeting without a date cannot be held');
  await first.getByLabel('Planlagt dato').fill('2026-12-10');
  await first.getByLabel('Holdt').check();
  await agreed.getByRole('group', { name: '2. oppfølgingsmøte' }).getByLabel('Planlagt dato').fill('2027-02-01');
  await agreed.getByLabel('Praksiskontrakten er signert').check();
  await agreed.getByLabel('Jobbmulighet etter praksis').selectOption({ label: 'Sannsynlig' });
  await phone.waitForFunction(() => document.querySelector('#job-prospect').value === 'likely');
  // The mentor's phone, corrected on the placement page; a wrong one is refused with a reason.
  const terms = phone.getByRole('region', { name: 'Fadder og sluttdato' });
  await terms.getByLabel('Fadderens telefon').fill('ring meg');
  await terms.getByLabel('Fadderens telefon').blur();
  await terms.getByRole('alert').waitFor();
  assert.equal(await terms.getByRole('alert').textContent(),
    'Sjekk feltene: Fadderens telefon er ikke et gyldig telefonnummer.');
  await terms.getByLabel('Fadderens telefon').fill('+47 98 76 54 32');
  await terms.getByLabel('Fadderens telefon').blur();
  await phone.waitForFunction(() => !document.querySelector('#terms-heading ~ .form .error'));
  await screenshot(phone, 'placement-meetings-phone-nb');
  await assertAccessible(phone, 'placement page with the agreed meetings');

  // Closed and opened again, still offline: all three are there.
  const context = phone.context();
  await phone.close();
  const again = await context.newPage();
  await again.goto(`${env.server.url}/arbeidssted/${workplaceId}`);
  await again.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Nadia Rahimi' }).waitFor();

  // Online: the server has them, as the office sees them.
  await context.setOffline(false);
  await again.getByRole('link', { name: 'Innom', exact: true }).click();
  await again.getByRole('button', { name: 'Synkroniser nå' }).click();
  await again.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });
  const token = await staffToken(env.server.url);
  const staff = { headers: { Authorization: `Bearer ${token}` } };
  const overview = await (await fetch(`${env.server.url}/api/workplaces/${workplaceId}/overview`, staff)).json();
  assert.equal(overview.name, 'Strandhotellet');
  assert.equal(overview.org_number, '974 760 673');
  assert.equal(overview.industry, 'hotel');
  assert.equal(overview.address, 'Strandkaien 3, 5013 Bergen');
  assert.deepEqual(overview.peak_months, [7]);
  assert.equal(overview.contacts[0].name, 'Per Hansen');
  const timeline = await (await fetch(`${env.server.url}/api/placements/${placementId}/timeline`, staff)).json();
  assert.equal(timeline.participant, 'Nadia Rahimi');
  assert.equal(timeline.workplace, 'Strandhotellet');
  assert.equal(timeline.tasks, 12);
  assert.equal(timeline.phase, 1);
  assert.equal(timeline.job_prospect, 'likely');
  const exported = await (await fetch(`${env.server.url}/api/participants/${timeline.participant_id}/export`, staff)).json();
  const placement = exported.records.map((r) => r.content).find((r) => r.id === placementId);
  assert.deepEqual(placement.first_meeting, { planned: '2026-12-10', held: true });
  assert.deepEqual(placement.second_meeting, { planned: '2027-02-01', held: false });
  assert.equal(placement.contract_signed, true);
  assert.equal(placement.mentor.phone, '+47 98 76 54 32');
  await context.close();
});

test('offline: editing a saved visit keeps what the form does not show, and the edit reaches the server', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  await phone.getByRole('link', { name: 'Arbeidssteder' }).click();
  await phone.getByRole('link', { name: 'Kiwi Sentrum' }).click();
  const item = phone.locator('.visit-item', { hasText: 'Første oppfølgingsmøte' });
  await item.getByRole('link', { name: 'Endre' }).click();
  await phone.getByRole('heading', { name: 'Endre besøk' }).waitFor();

  // The form comes filled in from the saved visit.
  const original = 'Første oppfølgingsmøte. Yonas er blid og punktlig, men sier lite til kundene.';
  assert.equal(await phone.getByLabel('Oppsummering').inputValue(), original);
  assert.equal(await phone.locator('#visit-type option:checked').textContent(), 'Oppfølgingsmøte');
  assert.equal(await phone.locator('#follow-up-0').inputValue(), 'Sende fraseliste til fadder');
  assert.ok(await phone.getByRole('group', { name: 'Bekymringer' }).getByLabel('Språk').isChecked());
  await screenshot(phone, 'visit-edit-phone-nb');
  await assertAccessible(phone, 'editing a visit');

  // An edit after "ø": its position must count the letter once.
  const edited = 'Første oppfølgingsmøte. Yonas er blid og punktlig, men sier fortsatt lite til kundene.';
  await phone.getByLabel('Oppsummering').fill(edited);
  await phone.getByRole('group', { name: 'Status' }).getByLabel('Rød').check();
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();

  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });
  const records = await serverRecordsAboutYonas();
  const visit = records.find((r) => r.id === '00001000-0000-4000-8000-000000000020');
  assert.equal(visit.status, 'red', JSON.stringify(visit));
  assert.equal(visit.summary, edited);
  assert.equal(visit.status, 'red');
  assert.equal(visit.visit_type, 'follow_up_meeting');
  assert.equal(visit.follow_ups.length, 1, 'the empty new row is not saved');
  assert.equal(visit.follow_ups[0].text, 'Sende fraseliste til fadder');
  assert.equal(visit.follow_ups[0].done, true, 'a done follow-up stays done');
  assert.equal(visit.concerns[0].note, 'Øve på faste fraser i kassen', "the concern's note is kept");
  await phone.context().close();
});

test('quick taps on a placement page before it redraws are all kept: each edit is saved onto the placement as it is then', async () => {
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await phone.getByRole('heading', { name: 'Amina Hassan' }).waitFor();
  const plan = phone.getByRole('region', { name: 'Opplæringsplan' });
  assert.equal(await plan.getByLabel('Melde fra om skader i rommet').isChecked(), false);
  assert.equal(await plan.getByLabel('Ta ansvar for en etasje').isChecked(), false);

  // Two ticks and a phase change in one go, as a quick thumb on a slow
  // phone does: all three land before the page draws again, so every
  // handler still sees the placement as it was before the first.
  await plan.evaluate((region) => {
    const box = (text) => [...region.querySelectorAll('label')].find((l) => l.textContent === text).querySelector('input');
    box('Melde fra om skader i rommet').click();
    box('Ta ansvar for en etasje').click();
    region.querySelector('input[name="phase"][value="3"]').click();
  });

  // The summary at the top is drawn from the stored placement: the last
  // edit has been saved on the phone once it says "fase 3".
  await phone.getByText(/ · fase 3 · /).waitFor();

  // Closed and opened again, still offline: all three edits are stored.
  await phone.reload();
  const again = phone.getByRole('region', { name: 'Opplæringsplan' });
  await again.waitFor();
  assert.ok(await again.getByLabel('Melde fra om skader i rommet').isChecked(), 'the first tick is kept');
  assert.ok(await again.getByLabel('Ta ansvar for en etasje').isChecked(), 'the second tick is kept');
  assert.ok(await again.getByRole('radio', { name: 'Fase 3' }).isChecked(), 'the phase change is kept');
  await phone.context().close();
});

test('the save code run once after login (so the first save is quick) stores nothing', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  // Once the first sync has brought everything in.
  await phone.getByText(/Sist synkronisert/).waitFor({ timeout: 15_000 });
  await phone.locator('.visit-item').first().waitFor();
  const visits = await phone.locator('.visit-item').count();
  // `warm_up_save` runs a second after the records open.
  await phone.waitForTimeout(2_500);
  assert.equal(await phone.locator('[data-unconfirmed="0"]').count(), 1, 'nothing new waits for the server');
  assert.equal(await phone.locator('.visit-item').count(), visits);
  await phone.reload();
  await phone.locator('.visit-item').first().waitFor();
  assert.equal(await phone.locator('.visit-item').count(), visits, 'nothing new stored on the phone');
  assert.deepEqual(phone.problems, []);
  await phone.context().close();
});

test('the home page lists the 20 latest visits, every unconfirmed one, and all of them on request', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.locator('.visit-item').first().waitFor();
  const visits = phone.getByRole('region', { name: 'Besøk', exact: true });
  const before = await visits.locator('.visit-item').count();
  assert.equal(await visits.getByRole('button', { name: /Vis alle besøk/ }).count(), 0, 'few visits: all are listed');

  const total = 21;
  for (let n = 0; n < total - before; n += 1) {
    await phone.getByRole('link', { name: 'Nytt besøk' }).first().click();
    await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
    await phone.getByLabel('Ingen praksisplass').check();
    await phone.getByLabel('Oppsummering').fill(`Kort innom nr. ${n}`);
    await phone.getByRole('button', { name: 'Lagre' }).click();
    await visits.locator('.visit-item', { hasText: `Kort innom nr. ${n}` }).waitFor();
  }
  // Once the server has confirmed them all, the page lists the 20 latest.
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 20_000 });
  await phone.waitForFunction(() => document.querySelectorAll('.visit-item').length === 20);
  assert.match(await visits.locator('.visit-item').first().textContent(), new RegExp(`Kort innom nr. ${total - before - 1}`));
  await visits.getByRole('button', { name: `Vis alle besøk (${total})` }).click();
  await phone.waitForFunction((n) => document.querySelectorAll('.visit-item').length === n, total);
  await assertAccessible(phone, 'home page with all visits listed');

  // The oldest visit, edited with no coverage, is listed among the latest
  // until the server has confirmed it.
  await phone.context().setOffline(true);
  await visits.locator('.visit-item').last().getByRole('link', { name: 'Endre' }).click();
  await phone.getByLabel('Hvem møtte du?').fill('Endret uten dekning');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.locator('[data-unconfirmed="1"]').waitFor();
  assert.equal(await visits.locator('.visit-item').count(), 21, 'the 20 latest and the unconfirmed one');
  await phone.context().close();
});

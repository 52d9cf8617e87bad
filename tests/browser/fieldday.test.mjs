// A field day as one story, in real browsers against the real server: the
// advisor records a visit (with the time it happened) without coverage,
// the mentor gives feedback and leaves a rating unanswered, the office
// asks a question about that feedback, the advisor answers it on her
// phone, and the office sees the answer and the open rating as "not
// assessed" — never as a made-up "OK".

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DESKTOP, PHONE, assertAccessible, logIn, loggedInThenOffline, openPage, problemsBesideNetworkLoss, rememberSecret, screenshot, startServerAndBrowser } from './harness.mjs';

const env = startServerAndBrowser();

// The demo's Amina Hassan and her placement at Fjordhotellet (record 21).
const AMINA_PLACEMENT = '00001000-0000-4000-8000-000000000015';

/** A mentor link for Amina's placement, made with Kari's account. */
async function mentorLink() {
  const login = await fetch(`${env.server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'kari', password: 'stikkinnom' }),
  });
  const { token } = await login.json();
  rememberSecret(token);
  const made = await fetch(`${env.server.url}/api/placements/${AMINA_PLACEMENT}/mentor-links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(made.status, 201);
  const { secret } = await made.json();
  rememberSecret(secret);
  return `${env.server.url}/fadder#${secret}`;
}

test('a field day: a visit with its time offline, feedback with a rating left open, the office asks, the advisor answers from the phone', async () => {
  // Kari, in the hotel's basement, records yesterday morning's visit.
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, env.server.url);
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  // Yesterday morning: it is entered now, after the fact.
  const morning = await phone.evaluate(() => {
    const d = new Date(Date.now() - 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T07:30`;
  });
  await phone.getByLabel('Når').fill(morning);
  await phone.getByRole('group', { name: 'Status' }).getByLabel('Grønn').check();
  await phone.getByLabel('Oppsummering').fill('Morgenvakt: Amina viste en ny kollega rundt.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  const visit = phone.locator('.visit-item', { hasText: 'Morgenvakt' });
  await visit.waitFor();
  assert.match(await visit.locator('.visit-when').textContent(), / 07:30$/, 'the time it happened, not of saving');
  assert.equal(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');

  // The mentor, on her own phone, answers two things and leaves the rest.
  const mentor = await openPage(env.browser, PHONE);
  await mentor.goto(await mentorLink());
  await mentor.getByRole('group', { name: 'Oppmøte' }).getByLabel('Bra').check();
  await mentor.getByLabel('Dette trenger oppmerksomhet').fill('Vaskerutinene er uklare for henne.');
  await mentor.getByRole('group', { name: 'Status' }).getByLabel('Gul').check();
  await mentor.getByRole('button', { name: 'Lagre' }).click();
  await mentor.locator('.thank-you [role="status"]', { hasText: 'Kari Nordmann har fått tilbakemeldingen din.' })
    .waitFor({ timeout: 20_000 });

  // The office sees the feedback with the open ratings as not assessed,
  // and asks about it.
  const office = await openPage(env.browser, DESKTOP);
  await office.goto(`${env.server.url}/kontor`);
  await logIn(office, 'ola', 'stikkinnom', 'Trenger oppfølging');
  await office.goto(`${env.server.url}/kontor/praksis/${AMINA_PLACEMENT}`);
  const feedback = office.locator('.timeline-entry', { hasText: 'Vaskerutinene er uklare' });
  await feedback.waitFor();
  assert.deepEqual(
    await feedback.locator('.ratings li').allTextContents(),
    ['Oppmøte: Bra', 'Punktlighet: Ikke vurdert', 'Initiativ: Ikke vurdert', 'Norsk i samtale: Ikke vurdert'],
  );
  assert.match(await feedback.textContent(), /Ikke vurdert\. Vaskerutinene/, 'readiness left open, said so');
  await feedback.getByLabel('Kommentar til veileder').fill('Hva er uklart med vaskerutinene?');
  await feedback.getByRole('button', { name: 'Be om mer informasjon' }).click();
  await feedback.getByText('Gjennomgang: Trenger mer informasjon (spurt av Ola Hansen)').waitFor();
  await screenshot(office, 'fieldday-office-question-desktop-nb');

  // Back in coverage, Kari's phone sends the visit and gets the question,
  // with whom and where it is about.
  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  const question = phone.getByRole('region', { name: 'Kontoret ber om mer informasjon' });
  await question.getByText('Ola Hansen: «Hva er uklart med vaskerutinene?»').waitFor({ timeout: 15_000 });
  await question.getByText('Amina Hassan · Fjordhotellet').waitFor();
  await question.getByText('Vaskerutinene er uklare for henne.').waitFor();
  await screenshot(phone, 'fieldday-question-on-feedback-phone-nb');
  await assertAccessible(phone, 'home page with a question on mentor feedback');
  // An empty answer is not sent.
  await question.getByRole('button', { name: 'Send svar' }).click();
  await question.getByText('Skriv et svar først.').waitFor();
  await question.getByLabel('Svar til kontoret').fill('Hun trenger en bildeinstruks; jeg lager den med fadderen.');
  await question.getByRole('button', { name: 'Send svar' }).click();
  await question.waitFor({ state: 'detached' });
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });
  assert.equal(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'confirmed');

  // "What did we say last time": the placement page has both, newest first.
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  const records = phone.getByRole('region', { name: 'Besøk og tilbakemeldinger' });
  await records.getByText('Vaskerutinene er uklare for henne.', { exact: false }).waitFor();
  const order = await records.locator('li.visit-item, li.feedback-item').evaluateAll(
    (items) => items.map((item) => item.className),
  );
  assert.equal(order[0], 'feedback-item', 'the feedback came after the 07:30 visit');
  assert.ok(order.includes('visit-item'));
  await records.getByText('Punktlighet: Ikke vurdert').waitFor();
  await screenshot(phone, 'fieldday-placement-records-phone-nb');
  await assertAccessible(phone, 'placement page with visits and feedback');

  // The office's open timeline gets the answer from the event stream.
  await feedback.getByText('Veilederen svarte: «Hun trenger en bildeinstruks; jeg lager den med fadderen.»')
    .waitFor({ timeout: 15_000 });
  await feedback.getByText('Gjennomgang: Besvart av veilederen, venter på ny gjennomgang (spurt av Ola Hansen)').waitFor();
  await feedback.getByText('Punktlighet: Ikke vurdert').waitFor();

  assert.deepEqual(problemsBesideNetworkLoss(phone), []);
  assert.deepEqual(mentor.problems, []);
  assert.deepEqual(office.problems, []);
  for (const page of [phone, mentor, office]) await page.context().close();
});

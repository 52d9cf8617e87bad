// Mentor feedback by link, in a real browser against the real server: an
// advisor makes a link, a mentor's phone opens it, gives feedback offline,
// and the advisor's home page flags the placement once it has synced.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  PHONE, advisorToken as advisorTokenAt, assertAccessible, logIn, mentorLink, openPage, problemsBesideNetworkLoss, quickFeedback,
  rememberSecret, screenshot, staffToken, startServerAndBrowser,
} from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

test('a mentor gives feedback offline from a link and the advisor sees the flag', async () => {
  const advisor = await openPage(env.browser, PHONE);
  await advisor.goto(env.server.url);
  await logIn(advisor, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');

  // From the home page to the placement, and a new link for its mentor.
  await advisor.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await advisor.getByRole('heading', { name: 'Amina Hassan' }).waitFor();
  await advisor.getByRole('button', { name: 'Lag lenke til fadder' }).click();
  await advisor.getByRole('img', { name: 'QR-kode med lenken til fadderen' }).waitFor();
  const url = await advisor.getByLabel('Lenke', { exact: true }).inputValue();
  assert.match(url, /\/fadder#[A-Za-z0-9_-]{43}$/);
  rememberSecret(new URL(url).hash.slice(1));
  const sms = await advisor.getByRole('link', { name: 'Send på SMS' }).getAttribute('href');
  assert.ok(sms.startsWith('sms:+4741234567?body=') && sms.includes(encodeURIComponent(url)), sms);
  const mail = await advisor.getByRole('link', { name: 'Send på e-post' }).getAttribute('href');
  assert.ok(mail.startsWith('mailto:?subject=') && decodeURIComponent(mail).includes('tilbakemelding om Amina'), mail);
  await advisor.locator('.mentor-link[data-link-state="active"]').waitFor();
  // The expiry as a day on the phone's calendar, not an hour in UTC.
  assert.match(await advisor.locator('.mentor-link .muted').first().textContent(), /^Virker til \d\d\.\d\d\.\d{4}$/);
  // The link is made near the top of the page, before the records and the plan.
  const order = await advisor.evaluate(() => [...document.querySelectorAll('main h2')].map((h) => h.id));
  assert.ok(order.indexOf('mentor-links-heading') < order.indexOf('plan-heading'), order.join());
  await screenshot(advisor, 'placement-mentor-link-phone-nb');
  await assertAccessible(advisor, 'placement page');

  // A fresh browser: the mentor's own phone.
  const mentor = await openPage(env.browser, PHONE);
  await mentor.goto(url);
  await mentor.getByRole('heading', { name: 'Tilbakemelding fra fadder' }).waitFor();
  await mentor.getByText('Amina', { exact: false }).first().waitFor();
  assert.equal(new URL(mentor.url()).hash, '', 'the secret is gone from the address bar');
  assert.equal(await mentor.locator('nav, a[href="/"]').count(), 0, 'no menu leads anywhere else');
  assert.ok(!(await mentor.content()).includes('Hassan'), 'only the first name is shown');
  await assertAccessible(mentor, 'mentor feedback form');

  // The mentor's app keeps itself for offline use, and only itself: a
  // mentor's phone never downloads the advisor's app.
  await mentor.evaluate(async () => { await navigator.serviceWorker.ready; });
  const kept = await mentor.evaluate(async () => {
    const names = await caches.keys();
    const files = await Promise.all(names.map(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)));
    return { names, files: files.flat() };
  });
  assert.deepEqual(kept.names, ['innom-shell-v2 /fadder']);
  assert.ok(kept.files.some((path) => /^\/fadder\/innom-mentor-[0-9a-f]+_bg\.wasm$/.test(path)), kept.files.join());
  assert.ok(!kept.files.some((path) => path.includes('innom-client')), kept.files.join());

  // Nothing is answered for the mentor: every scale starts untouched.
  assert.equal(await mentor.locator('form input[type="radio"]:checked').count(), 0, 'no answer is pre-filled');
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
  // A thank-you, not a blank form, saying where the feedback is and who gets it.
  const thanks = mentor.locator('.thank-you [role="status"]');
  assert.equal(
    await thanks.textContent(),
    'Takk! Tilbakemeldingen er lagret på telefonen og sendes til Kari Nordmann når du har dekning.',
  );
  assert.equal(await mentor.getByRole('button', { name: 'Lagre' }).count(), 0, 'no new blank form');
  await screenshot(mentor, 'mentor-feedback-offline-phone-nb');
  await assertAccessible(mentor, 'mentor feedback saved offline');

  // Closed and opened again with no network: the app comes from its
  // service worker, the feedback from the phone.
  await mentor.reload();
  await saved.waitFor();
  assert.equal(await saved.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');

  await mentor.context().setOffline(false);
  await saved.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 20_000 });

  // Back on the home page, the advisor's phone syncs and flags the placement.
  await advisor.goto(env.server.url);
  await advisor.getByRole('button', { name: 'Synkroniser nå' }).click();
  await assertAccessible(advisor, 'home page with attention list');
  const flagged = advisor.locator('.attention-item', { hasText: 'Amina Hassan' });
  await flagged.waitFor({ timeout: 15_000 });
  const flags = await flagged.locator('.flag').allTextContents();
  assert.deepEqual(flags, ['Fadder ber om kontakt', 'Rød status fra fadder', 'Ikke klar for neste fase']);
  await screenshot(advisor, 'home-attention-phone-nb');

  // Revoked from the placement page: the mentor's phone says so and still
  // shows what was written.
  await advisor.getByRole('link', { name: 'Amina Hassan' }).first().click();
  await advisor.getByRole('button', { name: 'Trekk tilbake' }).click();
  await advisor.locator('.mentor-link[data-link-state="revoked"]').waitFor();
  await mentor.reload();
  await mentor.getByText('Denne lenken virker ikke lenger', { exact: false }).waitFor();
  await mentor.locator('.feedback-item', { hasText: 'Grundig med sengene' }).waitFor();
  await screenshot(mentor, 'mentor-link-revoked-phone-nb');
  await assertAccessible(mentor, 'mentor page, link revoked');

  // Expected: requests that failed while offline, and the revoked session's 401.
  assert.deepEqual(problemsBesideNetworkLoss(mentor, ['401', '410']), []);
  assert.deepEqual(advisor.problems, []);
});

test('an expired or unknown link shows a clear page, not the form', async () => {
  const mentor = await openPage(env.browser, PHONE);
  await mentor.goto(`${env.server.url}/fadder#not-a-real-secret`);
  await mentor.getByText('Denne lenken virker ikke lenger – kontakt veilederen din.').waitFor();
  assert.equal(await mentor.getByRole('button', { name: 'Lagre' }).count(), 0);
});

const makeLink = (token, expiresAt) => mentorLink(env.server.url, token, expiresAt);
const advisorToken = () => advisorTokenAt(env.server.url);

test('quick feedback: unanswered ratings are stored as not assessed, and the thank-you says when it has reached the advisor', async () => {
  const token = await advisorToken();
  const mentor = await openPage(env.browser, PHONE);
  await mentor.goto(await makeLink(token));
  await mentor.getByRole('group', { name: 'Norsk i samtale' }).waitFor();
  await quickFeedback(mentor, 'Ring meg om turnusen');
  await mentor.locator('.thank-you [role="status"]', { hasText: 'Takk! Kari Nordmann har fått tilbakemeldingen din.' })
    .waitFor({ timeout: 20_000 });
  await screenshot(mentor, 'mentor-thank-you-phone-nb');
  await assertAccessible(mentor, 'mentor thank-you');

  // As stored on the server: only what the mentor tapped is an answer.
  const staff = await staffToken(env.server.url);
  const response = await fetch(`${env.server.url}/api/participants/00001000-0000-4000-8000-00000000000b/export`, {
    headers: { Authorization: `Bearer ${staff}` },
  });
  const feedback = (await response.json()).records.map((r) => r.content)
    .find((r) => r.kind === 'mentor_feedback' && r.needs_attention === 'Ring meg om turnusen');
  assert.deepEqual(
    [feedback.attendance, feedback.punctuality, feedback.initiative, feedback.norwegian, feedback.ready_for_next_phase, feedback.status],
    ['not_assessed', 'not_assessed', 'not_assessed', 'needs_work', 'not_yet', 'not_assessed'],
  );

  // Another one starts blank again, with nothing answered.
  await mentor.getByRole('button', { name: 'Skriv en ny tilbakemelding' }).click();
  await mentor.getByRole('group', { name: 'Norsk i samtale' }).waitFor();
  assert.equal(await mentor.locator('form input[type="radio"]:checked').count(), 0);
  await mentor.context().close();
});

test('an expired link keeps the feedback written before it ran out', async () => {
  const token = await advisorToken();
  // Long enough for a loaded machine to open it first.
  const expiresAt = Date.now() + 20_000;
  const url = await makeLink(token, expiresAt);
  const mentor = await openPage(env.browser, PHONE);
  await mentor.goto(url);
  // The heading shows while the secret is still being traded; the form
  // shows once the session and the placement's view have arrived.
  await mentor.getByRole('group', { name: 'Norsk i samtale' }).waitFor();
  await mentor.context().setOffline(true);
  await quickFeedback(mentor, 'Skrevet før lenken gikk ut');
  await new Promise((done) => setTimeout(done, Math.max(0, expiresAt - Date.now()) + 500));
  await mentor.context().setOffline(false);
  await mentor.reload();
  await mentor.getByText('Denne lenken virker ikke lenger', { exact: false }).waitFor();
  await mentor.locator('.feedback-item').first().waitFor();
  assert.equal(await mentor.getByRole('button', { name: 'Lagre' }).count(), 0);
  await assertAccessible(mentor, 'mentor page, link expired');
});

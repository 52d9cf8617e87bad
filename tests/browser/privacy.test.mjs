// Privacy in a real browser against the real server: office staff download
// everything about a participant, an admin erases it, and the advisor's
// phone drops its copies on the next sync.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { DESKTOP, PHONE, assertAccessible, logIn, openPage, screenshot, startServerAndBrowser, storedDocs } from './harness.mjs';

// The real server with a fresh database, and headless Chromium, for this file.
const env = startServerAndBrowser();

/** The texts of every record the phone keeps in IndexedDB, joined. */
async function storedText(page) {
  return (await storedDocs(page)).texts.join('\n');
}

test('staff export a participant, an admin erases them, and the advisor\'s phone drops them', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  const placements = phone.getByRole('region', { name: 'Praksisplasser' });
  await placements.getByRole('link', { name: 'Amina Hassan' }).waitFor();
  assert.match(await storedText(phone), /Amina Hassan/, 'the phone holds the participant');

  const office = await openPage(env.browser, DESKTOP);
  await office.goto(env.server.url);
  await logIn(office, 'ola', 'stikkinnom', 'Hei, Ola Hansen');
  await office.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await office.getByRole('heading', { name: 'Personvern' }).waitFor();
  await assertAccessible(office, 'placement page with privacy actions');

  const [download] = await Promise.all([
    office.waitForEvent('download'),
    office.getByRole('button', { name: 'Last ned alt om deltakeren (JSON)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^innom-deltaker-.*\.json$/);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  const kinds = exported.records.map((r) => r.kind).sort();
  assert.ok(kinds.includes('participant') && kinds.includes('placement'), kinds.join());
  const person = exported.records.find((r) => r.kind === 'participant');
  assert.equal(person.content.display_name, 'Amina Hassan');
  assert.ok(person.history.length > 0);
  await screenshot(office, 'placement-privacy-desktop-nb');

  office.once('dialog', (dialog) => dialog.accept());
  await office.getByRole('button', { name: 'Slett alle data om deltakeren' }).click();
  await office.getByRole('heading', { name: 'Hei, Ola Hansen' }).waitFor();
  await office.getByRole('region', { name: 'Praksisplasser' }).waitFor();
  assert.equal(await office.getByRole('link', { name: 'Amina Hassan' }).count(), 0);

  // The phone learns of the erasure on its next sync (the event stream
  // starts one; the button is for a slow machine).
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await placements.getByRole('link', { name: 'Amina Hassan' }).waitFor({ state: 'detached', timeout: 15_000 });
  assert.doesNotMatch(await storedText(phone), /Amina Hassan/, 'the phone no longer holds the participant');
  assert.deepEqual(office.problems, []);
  assert.deepEqual(phone.problems, []);
});

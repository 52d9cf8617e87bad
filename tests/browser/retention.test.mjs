// Phones keep only what the work needs: with a two-month retention, the
// demo placement that ended 80 days ago (Samir Haddad, hired) leaves the
// advisor's phone, while the office still has it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DESKTOP, PHONE, logIn, openPage, startServerAndBrowser, storedDocs } from './harness.mjs';

const env = startServerAndBrowser(['--phone-retention-months', '2']);

// The demo's ids (server/src/demo/records.rs, `demo_id`).
const SAMIR = '00001000-0000-4000-8000-00000000000e';
const SAMIRS_PLACEMENT = '00001000-0000-4000-8000-000000000018';
const AMINA = '00001000-0000-4000-8000-00000000000b';

/** Waits until the ids kept in the page's IndexedDB satisfy `check`, or fails with them. */
async function waitForStored(page, check, what) {
  let keys = [];
  for (let tries = 0; tries < 100; tries += 1) {
    keys = (await storedDocs(page)).keys;
    if (check(new Set(keys))) return;
    await page.waitForTimeout(150);
  }
  assert.fail(`${what}; the browser holds ${keys.join(', ')}`);
}

test('an advisor\'s phone drops a placement that ended before the retention period; the office keeps it', async () => {
  const phone = await openPage(env.browser, PHONE);
  await phone.goto(env.server.url);
  await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).waitFor();
  await waitForStored(
    phone,
    (ids) => ids.has(AMINA) && !ids.has(SAMIR) && !ids.has(SAMIRS_PLACEMENT),
    'the phone should hold Amina but not Samir Haddad or his ended placement',
  );
  // A reload reads IndexedDB again: nothing comes back.
  await phone.reload();
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).waitFor();
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await phone.getByText('Sist synkronisert').first().waitFor();
  const kept = (await storedDocs(phone)).keys;
  assert.ok(!kept.includes(SAMIR) && !kept.includes(SAMIRS_PLACEMENT), kept.join());

  // Staff are not asked to drop anything: the record is still on the server.
  const office = await openPage(env.browser, DESKTOP);
  await office.goto(env.server.url);
  await logIn(office, 'ola', 'stikkinnom', 'Hei, Ola Hansen');
  await waitForStored(
    office,
    (ids) => ids.has(SAMIR) && ids.has(SAMIRS_PLACEMENT),
    'the office should hold Samir Haddad and his placement',
  );
  assert.deepEqual(phone.problems, []);
  assert.deepEqual(office.problems, []);
});

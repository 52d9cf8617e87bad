// What the municipality's IT department does, seen from a phone: a backup
// taken while the server runs, a restore after the phone synced more, and
// the phone sending the restored server what it no longer had.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { PHONE, innom, launchBrowser, logIn, openPage, staffToken, startServer } from './harness.mjs';

const folder = mkdtempSync(join(tmpdir(), 'innom-operations-'));
after(() => rmSync(folder, { recursive: true, force: true }));

/** Records a visit at Kiwi Sentrum about no placement, and waits for the server to confirm it. */
async function confirmedVisit(phone, summary) {
  await phone.getByRole('link', { name: 'Nytt besøk' }).first().click();
  await phone.getByLabel('Arbeidsplass').selectOption({ label: 'Kiwi Sentrum' });
  await phone.getByLabel('Ingen praksisplass').check();
  await phone.getByLabel('Oppsummering').fill(summary);
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.locator('.visit-item', { hasText: summary }).locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });
}

/** Every visit's CSV row as the server holds it now. */
async function visitsOnServer(url) {
  const response = await fetch(`${url}/api/exports/visits.csv`, { headers: { Authorization: `Bearer ${await staffToken(url)}` } });
  assert.equal(response.status, 200);
  return response.text();
}

test('a phone that synced after the backup sends the restored server the visit it lost', async () => {
  const database = join(folder, 'innom.sqlite');
  const backup = join(folder, 'backup.sqlite');
  const browser = await launchBrowser();
  let server = await startServer([], { database });
  try {
    const phone = await openPage(browser, PHONE);
    await phone.goto(server.url);
    await logIn(phone, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
    await confirmedVisit(phone, 'Før sikkerhetskopien');

    const printed = innom(['backup', '--database', database, '--to', backup]);
    assert.match(printed, /documents, \d+ changes, 3 users, last log position \d+; integrity check ok/);
    await confirmedVisit(phone, 'Etter sikkerhetskopien');

    await server.stop();
    assert.match(innom(['restore', '--from', backup, '--database', database]), /^Restored /);
    // The same address, so the phone's page and its IndexedDB carry on.
    server = await startServer([], { database, listen: new URL(server.url).host });
    const restored = await visitsOnServer(server.url);
    assert.ok(restored.includes('Før sikkerhetskopien') && !restored.includes('Etter sikkerhetskopien'));

    await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
    const deadline = Date.now() + 20_000;
    while (!(await visitsOnServer(server.url)).includes('Etter sikkerhetskopien')) {
      assert.ok(Date.now() < deadline, 'the phone did not send the lost visit again');
      await new Promise((done) => setTimeout(done, 250));
    }
    await phone.locator('.visit-item', { hasText: 'Etter sikkerhetskopien' }).locator('[data-sync-state="confirmed"]').waitFor();
  } finally {
    await browser.close();
    await server.stop();
  }
});

// Saving a visit on the phone with the CPU slowed 4x (DevTools
// emulation): the time from the tap on "Lagre" to the home page showing
// the visit as saved on this phone. Ten runs; prints the median and the
// slowest. Run with `cargo xtask figures`.

import { PHONE, launchBrowser, logIn, openPage, startServer } from '../browser/harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openPage(browser, PHONE);
  await page.goto(server.url);
  await logIn(page, 'kari', 'stikkinnom', 'Hei, Kari Nordmann');
  await page.locator('.visit-item').first().waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Offline, so the time is the phone's own work, not the network's.
  await page.context().setOffline(true);
  const times = [];
  for (let run = 0; run < 10; run += 1) {
    await page.getByRole('link', { name: 'Nytt besøk' }).first().click();
    await page.getByLabel('Oppsummering').fill(`Målt besøk ${run}`);
    const saved = page.locator('.visit-item', { hasText: `Målt besøk ${run}` });
    // Timed in the page: from the click event to the saved visit in the list.
    const elapsed = await page.evaluate((text) => new Promise((done) => {
      const started = performance.now();
      const observer = new MutationObserver(() => {
        const found = [...document.querySelectorAll('.visit-item')].some((item) => item.textContent.includes(text));
        if (found) {
          observer.disconnect();
          done(performance.now() - started);
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      document.querySelector('button[type="submit"]').click();
    }), `Målt besøk ${run}`);
    await saved.waitFor();
    times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  console.log('Saving a visit with the CPU slowed 4x (headless Chromium, offline), tap to "saved on this phone":');
  console.log(`  median ${times[5].toFixed(0)} ms, slowest ${times[9].toFixed(0)} ms over 10 runs (target at most 50 ms)`);
} finally {
  await browser.close();
  await server.stop();
}

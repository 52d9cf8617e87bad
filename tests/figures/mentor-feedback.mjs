// A mentor's quickest useful feedback, from opening the link to saved:
// the taps and text fields it takes, and the median time of five runs in
// headless Chromium at the machine's own typing speed. Run with
// `cargo xtask figures`.

import { PHONE, advisorToken, launchBrowser, mentorLink, openPage, quickFeedback, startServer } from '../browser/harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
try {
  const token = await advisorToken(server.url);
  const times = [];
  let counts;
  for (let run = 0; run < 5; run += 1) {
    const url = await mentorLink(server.url, token);
    const mentor = await openPage(browser, PHONE);
    const started = performance.now();
    await mentor.goto(url);
    counts = await quickFeedback(mentor, `Runde ${run}`);
    times.push(performance.now() - started);
    await mentor.context().close();
  }
  times.sort((a, b) => a - b);
  console.log(
    `mentor feedback: ${counts.taps} taps and ${counts.textFields} text field from opening the link to saved; `
    + `median ${times[2].toFixed(0)} ms in headless Chromium (5 runs)`,
  );
} finally {
  await browser.close();
  await server.stop();
}

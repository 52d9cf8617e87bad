import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, startServer } from '../browser/harness.mjs';
const server = await startServer();
const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
for (let i = 0; i < 2; i++) {
const result = await lighthouse(`${server.url}/logg-inn`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], throttlingMethod: 'devtools' });
const a = result.lhr.audits;
console.log(Math.round(result.lhr.categories.performance.score*100), ['first-contentful-paint','largest-contentful-paint','total-blocking-time','interactive'].map((k) => `${k} ${a[k].displayValue}`).join('; '));
}
await chrome.kill(); await server.stop();

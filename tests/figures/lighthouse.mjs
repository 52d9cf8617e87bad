// Lighthouse on the phone app, mobile profile, against Debian's Chromium:
// the login page cold (empty cache) and warm (a second load, the service
// worker serving the app shell). Prints the performance and accessibility
// scores and the time to interactive. Run with `cargo xtask figures`.
//
// Lighthouse's default throttling is simulated: it loads the page at full
// speed and estimates the slow-phone timings from that load. A local
// server is so fast that the wasm can finish downloading before the first
// paint, and the estimate then counts it as needed for that paint. So the
// cold load is also measured with applied throttling (the browser really
// slowed to slow 4G and 4x CPU), which times what a phone would see.

import { mkdirSync, writeFileSync } from 'node:fs';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

import { CHROMIUM, startServer } from '../browser/harness.mjs';

const server = await startServer();
const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function audit(name, { storageReset, throttlingMethod = 'simulate' }) {
  const result = await lighthouse(`${server.url}/logg-inn`, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
    disableStorageReset: !storageReset,
    throttlingMethod,
  });
  const { categories, audits } = result.lhr;
  // The whole report, to see what a score is made of.
  mkdirSync('target/figures', { recursive: true });
  writeFileSync(`target/figures/lighthouse-${name}.json`, result.report);
  return {
    performance: Math.round(categories.performance.score * 100),
    accessibility: Math.round(categories.accessibility.score * 100),
    interactive: audits.interactive.numericValue,
    // What the performance score is made of, to see where it is lost.
    metrics: ['first-contentful-paint', 'speed-index', 'largest-contentful-paint', 'total-blocking-time',
      'cumulative-layout-shift'].map((id) => `${audits[id].title} ${audits[id].displayValue} (score ${Math.round(audits[id].score * 100)})`),
    // The main thread's long tasks, which make up the blocking time.
    longTasks: (audits['long-tasks'].details?.items ?? []).map((t) => `${Math.round(t.duration)} ms at ${Math.round(t.startTime)} ms`),
    warnings: result.lhr.runWarnings.map((w) => `${name}: ${w}`),
  };
}

try {
  const cold = await audit('cold', { storageReset: true });
  // The cold run left the service worker and its cache in place.
  const warm = await audit('warm', { storageReset: false });
  const applied = await audit('cold-applied', { storageReset: true, throttlingMethod: 'devtools' });
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log('Lighthouse 12, mobile profile (simulated slow 4G, 4x CPU slowdown), login page:');
  console.log(`  performance score   ${cold.performance} (target at least 90)`);
  console.log(`  accessibility score ${cold.accessibility} (target at least 95)`);
  console.log(`  interactive, cold   ${s(cold.interactive)} (target 3.5 s)`);
  console.log(`  interactive, warm   ${s(warm.interactive)} (target 1.5 s; from the service worker)`);
  console.log(`  cold: ${cold.metrics.join('; ')}`);
  console.log(`  cold, long tasks: ${cold.longTasks.join(', ') || 'none'}`);
  console.log('Applied throttling (the browser slowed for real), login page, cold:');
  console.log(`  performance score   ${applied.performance} (target at least 90)`);
  console.log(`  interactive, cold   ${s(applied.interactive)} (target 3.5 s)`);
  console.log(`  cold: ${applied.metrics.join('; ')}`);
  console.log('  reports: target/figures/lighthouse-cold.json, lighthouse-warm.json, lighthouse-cold-applied.json');
  for (const warning of [...cold.warnings, ...warm.warnings, ...applied.warnings]) console.log(`  warning: ${warning}`);
} finally {
  await chrome.kill();
  await server.stop();
}

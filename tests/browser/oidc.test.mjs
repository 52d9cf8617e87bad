// Signing in through the municipality's identity provider: a real OpenID
// Connect provider (oidc-provider from npm) beside the real server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  PHONE, DESKTOP, assertAccessible, assertNoSecretLeaked, launchBrowser, offlineAfterFirstSync, openPage, rememberSecret,
  screenshot,
  startOidcProvider, startServer,
} from './harness.mjs';

const env = {};

before(async () => {
  env.provider = await startOidcProvider({
    kari: { password: 'kari-at-the-provider', name: 'Kari Nordmann' },
    ola: { password: 'ola-at-the-provider', name: 'Ola Hansen' },
    eva: { password: 'eva-at-the-provider', name: 'Eva Eksempel' },
    nina: { password: 'nina-at-the-provider', name: 'Nina Berg' },
  });
  env.server = await startServer(
    ['--oidc-issuer', env.provider.issuer, '--oidc-client-id', env.provider.clientId, '--oidc-name', 'Testkommunen'],
    { env: { INNOM_OIDC_CLIENT_SECRET: env.provider.clientSecret } },
  );
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.provider?.stop();
  // No provider code, sign-in code, session token or client secret in
  // the server's log or in a Referer.
  if (env.server) assertNoSecretLeaked(env.server.logs());
});

/** Remembers the provider's code and state, and the app's one-time code, as secrets. */
function watchSignIn(page) {
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/auth/oidc/callback') {
      rememberSecret(url.searchParams.get('code'));
      rememberSecret(url.searchParams.get('state'));
    }
  });
  page.on('framenavigated', (frame) => {
    const code = new URL(frame.url()).hash.match(/^#oidc=(.+)$/)?.[1];
    if (code) rememberSecret(code);
  });
}

test('an advisor taps the button, signs in at the provider, records a visit offline and it syncs', async () => {
  const phone = await openPage(env.browser, PHONE);
  watchSignIn(phone);
  await phone.goto(`${env.server.url}/logg-inn`);
  const button = phone.getByRole('link', { name: 'Logg inn med Testkommunen' });
  await button.waitFor();
  await screenshot(phone, 'login-with-provider-phone-nb');
  await assertAccessible(phone, 'login page with the identity provider');

  await button.click();
  await phone.getByRole('heading', { name: 'Test-IdP' }).waitFor();
  await phone.getByLabel('Brukernavn').fill('kari');
  await phone.getByLabel('Passord').fill('kari-at-the-provider');
  await phone.getByRole('button', { name: 'Logg inn' }).click();
  await phone.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
  assert.equal(new URL(phone.url()).hash, '', 'the one-time code is gone from the address');

  // The first sync brings her records; the app then works offline.
  await offlineAfterFirstSync(phone, 'Hei, Kari Nordmann');
  await phone.getByRole('region', { name: 'Praksisplasser' }).getByRole('link', { name: 'Amina Hassan' }).click();
  await phone.getByRole('link', { name: 'Nytt besøk' }).click();
  await phone.getByRole('group', { name: 'Status' }).getByLabel('Grønn').check();
  await phone.getByLabel('Oppsummering').fill('Innlogget via kommunen: Amina trives.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  const visit = phone.locator('.visit-item', { hasText: 'Innlogget via kommunen' });
  await visit.waitFor();
  assert.equal(await visit.locator('[data-sync-state]').getAttribute('data-sync-state'), 'local');

  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await visit.locator('[data-sync-state="confirmed"]').waitFor({ timeout: 15_000 });
  await phone.context().close();
});

test('office staff sign in at the provider; a cancelled or refused sign-in is said on the login page, in Norwegian and English', async () => {
  const office = await openPage(env.browser, DESKTOP);
  watchSignIn(office);
  await office.goto(`${env.server.url}/kontor/`);
  await office.getByRole('link', { name: 'Logg inn med Testkommunen' }).click();
  await office.getByRole('button', { name: 'Avbryt' }).click();
  await office.getByRole('alert').filter({ hasText: 'Innloggingen ble avbrutt.' }).waitFor();
  assert.equal(new URL(office.url()).pathname, '/kontor/');
  await assertAccessible(office, 'office login page after a cancelled sign-in');

  // Someone the provider knows but Innom does not: not allowed, in English.
  await office.getByRole('button', { name: 'English' }).click();
  await office.getByRole('link', { name: 'Sign in with Testkommunen' }).click();
  await office.getByLabel('Brukernavn').fill('eva');
  await office.getByLabel('Passord').fill('eva-at-the-provider');
  await office.getByRole('button', { name: 'Logg inn' }).click();
  await office.getByRole('alert').filter({ hasText: 'You have no access to Innom.' }).waitFor();
  await office.context().close();

  // The demo's office staff member signs in through the provider.
  const desk = await openPage(env.browser, DESKTOP);
  watchSignIn(desk);
  await desk.goto(`${env.server.url}/kontor/`);
  await desk.getByRole('link', { name: 'Logg inn med Testkommunen' }).click();
  await desk.getByLabel('Brukernavn').fill('ola');
  await desk.getByLabel('Passord').fill('ola-at-the-provider');
  await desk.getByRole('button', { name: 'Logg inn' }).click();
  await desk.getByRole('heading', { name: 'Trenger oppfølging' }).waitFor();
  await desk.context().close();
});

/** Signs in at the test provider from a page showing its login form. */
async function atProvider(page, username, password) {
  await page.getByLabel('Brukernavn').fill(username);
  await page.getByLabel('Passord').fill(password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
}

test('with passwords switched off, only the provider is offered, and an admin adds an account without a password who then signs in', async () => {
  const server = await startServer(
    ['--password-login', 'off', '--oidc-issuer', env.provider.issuer, '--oidc-client-id', env.provider.clientId,
      '--oidc-name', 'Testkommunen'],
    { env: { INNOM_OIDC_CLIENT_SECRET: env.provider.clientSecret } },
  );
  try {
    const phone = await openPage(env.browser, PHONE);
    await phone.goto(`${server.url}/logg-inn`);
    await phone.getByRole('link', { name: 'Logg inn med Testkommunen' }).waitFor();
    assert.equal(await phone.locator('#password').isVisible(), false, 'no password field');
    await assertAccessible(phone, 'login page with passwords switched off');
    await phone.context().close();

    const office = await openPage(env.browser, DESKTOP);
    watchSignIn(office);
    await office.goto(`${server.url}/kontor/`);
    await office.getByRole('link', { name: 'Logg inn med Testkommunen' }).click();
    await atProvider(office, 'ola', 'ola-at-the-provider');
    await office.getByRole('link', { name: 'Brukere' }).click();
    const form = office.getByRole('region', { name: 'Ny bruker' });
    await form.getByText('Passord er slått av her').waitFor();
    assert.equal(await form.locator('#new-password').isVisible(), false);
    await form.getByLabel('Brukernavn').fill('nina');
    await form.getByLabel('Navn', { exact: true }).fill('Nina Berg');
    await form.getByLabel('Rolle').selectOption('advisor');
    await form.getByLabel('Alle').check();
    await form.getByRole('button', { name: 'Legg til bruker' }).click();
    await form.getByText('Brukeren er lagt til.').waitFor();
    await office.context().close();

    const nina = await openPage(env.browser, PHONE);
    watchSignIn(nina);
    await nina.goto(`${server.url}/logg-inn`);
    await nina.getByRole('link', { name: 'Logg inn med Testkommunen' }).click();
    await atProvider(nina, 'nina', 'nina-at-the-provider');
    await nina.getByRole('heading', { name: 'Hei, Nina Berg' }).waitFor();
    await nina.context().close();
  } finally {
    await server.stop();
    assertNoSecretLeaked(server.logs());
  }
});

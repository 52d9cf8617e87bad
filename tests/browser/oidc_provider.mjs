// A real OpenID Connect provider for the tests: the certified `oidc-provider`
// package, with its own users, a login page, and a cancel button. Started by
// the API tests (tests/src/oidc.rs) and the browser tests (harness.mjs):
//
//   node tests/browser/oidc_provider.mjs
//
// prints one JSON line {"issuer": "http://127.0.0.1:<port>"} once it listens.
// Environment: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_USERS (JSON:
// {"<username>": {"password", "name", "groups": [...]}}), OIDC_NO_REFRESH.
//
// Test controls (this provider only, never part of Innom):
//   POST /__test/disable/<username>  the provider refuses the user from now on
//   POST /__test/next-token/<how>    the next ID token it issues is altered:
//     wrong_audience, bad_signature, expired, future, nonce, rotated_key
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';
import { CompactSign, exportJWK, generateKeyPair, decodeJwt, decodeProtectedHeader } from 'jose';

const clientId = process.env.OIDC_CLIENT_ID ?? 'innom';
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? 'innom-test-secret';
const users = JSON.parse(process.env.OIDC_USERS ?? '{}');
const disabled = new Set();

async function signingKey(kid) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const pub = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, jwk, pub };
}
const current = await signingKey('key-1');
// Published only once a token signed with it has been issued ("rotated_key").
const newKey = await signingKey('key-2');
// Same key id as the real one, other key: a forged signature.
const forger = await signingKey('key-1');
let rotated = false;
let alterNext = null;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: ['http://127.0.0.1/api/auth/oidc/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [current.jwk] },
  cookies: { keys: [randomUUID()] },
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // OIDC_NO_REFRESH=1: a provider that gives no refresh tokens.
  issueRefreshToken: async (_ctx, client) =>
    !process.env.OIDC_NO_REFRESH && client.grantTypeAllowed('refresh_token'),
  async findAccount(_ctx, sub) {
    if (!users[sub] || disabled.has(sub)) return undefined;
    return {
      accountId: sub,
      async claims() {
        const u = users[sub];
        return { sub, preferred_username: sub, name: u.name, groups: u.groups ?? [], email: `${sub}@example.no` };
      },
    };
  },
});

// Innom listens on a port chosen at start: any loopback port is its own.
provider.Client.prototype.redirectUriAllowed = (uri) =>
  /^http:\/\/127\.0\.0\.1:\d+\/api\/auth\/oidc\/callback$/.test(uri);

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.body?.id_token && alterNext) {
    ctx.body = { ...ctx.body, id_token: await alter(ctx.body.id_token, alterNext) };
    alterNext = null;
  }
  if (ctx.path === '/jwks' && rotated && ctx.body?.keys) {
    ctx.body = { keys: [...ctx.body.keys, newKey.pub] };
  }
});

async function alter(token, how) {
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  const now = Math.floor(Date.now() / 1000);
  let key = current.privateKey;
  if (how === 'wrong_audience') claims.aud = 'another-client';
  if (how === 'expired') Object.assign(claims, { iat: now - 3600, exp: now - 1800 });
  if (how === 'future') Object.assign(claims, { iat: now + 3600, exp: now + 7200 });
  if (how === 'nonce') claims.nonce = 'not-the-nonce-innom-sent';
  if (how === 'bad_signature') key = forger.privateKey;
  if (how === 'rotated_key') {
    rotated = true;
    header.kid = newKey.jwk.kid;
    key = newKey.privateKey;
  }
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(key);
}

const page = (body) => `<!doctype html><html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>Test-IdP</title></head>
<body><main><h1>Test-IdP</h1>${body}</main></body></html>`;

function loginForm(uid, error = '') {
  return page(`${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label>Brukernavn <input name="username" autocomplete="username"></label>
  <label>Passord <input name="password" type="password"></label>
  <button type="submit">Logg inn</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Avbryt</button></form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function interaction(req, res) {
  const [, , uid, action] = new URL(req.url, issuer).pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginForm(uid));
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false });
  }
  const form = await readForm(req);
  const user = users[form.username];
  if (!user || user.password !== form.password || disabled.has(form.username)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginForm(uid, 'Feil brukernavn eller passord'));
  }
  const grant = new provider.Grant({ accountId: form.username, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res,
    { login: { accountId: form.username }, consent: { grantId } },
    { mergeWithLastSubmission: false });
}

function control(req, res) {
  const [, , what, arg] = new URL(req.url, issuer).pathname.split('/');
  if (what === 'disable') disabled.add(decodeURIComponent(arg));
  else if (what === 'next-token') alterNext = arg;
  else { res.writeHead(404); return res.end(); }
  res.writeHead(204);
  res.end();
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  const handle = path.startsWith('/__test/') ? control
    : path.startsWith('/interaction/') ? interaction
    : callback;
  Promise.resolve(handle(req, res)).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
});

console.log(JSON.stringify({ issuer }));

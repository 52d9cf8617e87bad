// The sync contract held to a client written from docs/SYNC.md alone
// (reference_client.mjs, on @automerge/automerge and cborg): it
// bootstraps, creates every kind of record, edits a visit at the same time
// as the Rust phone app, and the merged values are checked through the API.
// Its records are checked against /api/schema/records.json with Ajv.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import * as Automerge from '@automerge/automerge';
import Ajv2020 from 'ajv/dist/2020.js';
import { PHONE, loggedInThenOffline, openPage, rememberSecret, staffToken, startServerAndBrowser } from './harness.mjs';
import { ReferenceClient, asJson } from './reference_client.mjs';

const env = startServerAndBrowser();

const str = (text) => new Automerge.ImmutableString(text);
const uint = (n) => new Automerge.Uint(n);

/** A validator for the served schema, with the formats SYNC.md defines. */
async function schemaValidator(url) {
  const response = await fetch(`${url}/api/schema/records.json`);
  assert.equal(response.status, 200);
  const ajv = new Ajv2020({ allErrors: true });
  ajv.addKeyword('x-automerge');
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  ajv.addFormat('date', (text) => {
    const day = new Date(`${text}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
  });
  for (const [name, max] of [['uint8', 255], ['uint32', 2 ** 32 - 1]]) {
    ajv.addFormat(name, { type: 'number', validate: (n) => Number.isInteger(n) && n >= 0 && n <= max });
  }
  ajv.addFormat('org-number', (text) => {
    const digits = text.replaceAll(' ', '');
    if (!/^\d{9}$/.test(digits)) return false;
    const sum = [3, 2, 7, 6, 5, 4, 3, 2].reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
    const check = (11 - (sum % 11)) % 11;
    return check !== 10 && check === Number(digits[8]);
  });
  const validate = ajv.compile(await response.json());
  return (doc) => {
    const ok = validate(asJson(Automerge.toJS(doc)));
    return { ok, errors: JSON.stringify(validate.errors) };
  };
}

/** A drop-in visit at the test's workplace and placement. */
function visitFields(ids) {
  return {
    visit_type: str('drop_in'),
    workplace: str(ids.workplace),
    placements: [str(ids.placement)],
    advisor: str('kari'),
    at: new Date(),
    duration_minutes: uint(20),
    met: str('Per Olsen'),
    summary: 'Kari møtte Per.',
    concerns: [],
    follow_ups: [{ id: str(randomUUID()), text: str('Sende timeliste'), due: null, done: false }],
    job_signal: str('none'),
    status: str('not_assessed'),
    review: unreviewed(),
  };
}

const unreviewed = () => ({ state: str('unreviewed'), reviewer: null, reviewer_name: null, comment: str(''), answer: null });

test('a client written from docs/SYNC.md bootstraps, creates every kind of record, and edits a visit at the same time as the phone', async () => {
  const url = env.server.url;
  const fits = await schemaValidator(url);

  // A new device is sent snapshots, every one a record the schema describes.
  const kari = await ReferenceClient.logIn(url, 'kari', 'stikkinnom');
  rememberSecret(kari.token);
  await kari.sync();
  assert.ok(kari.docs.size >= 10, `the demo's records arrive (${kari.docs.size})`);
  assert.equal(kari.bootstrapping, false);
  for (const [id, { doc }] of kari.docs) {
    const { ok, errors } = fits(doc);
    assert.ok(ok, `demo record ${id} fits the schema: ${errors}`);
  }

  // Each kind of record, written as SYNC.md says.
  const ids = { workplace: randomUUID(), participant: randomUUID(), placement: randomUUID(), visit: randomUUID() };
  kari.create(ids.workplace, 'workplace', {
    name: str('Referansebakeriet'),
    org_number: str('923609016'),
    address: str('Bakergata 2, 5003 Bergen'),
    industry: str('kitchen_canteen'),
    contacts: [{ id: str(randomUUID()), name: str('Per Olsen'), role: str('daglig leder'), phone: str('+47 912 34 567'), email: str('per@bakeriet.no') }],
    mapping: { needs: str('Baking tidlig om morgenen'), requirements: str(''), safety_routines: str('Ovnskurs første dag') },
    hiring_outlook: str('possible'),
    peak_months: [uint(11), uint(12)],
  });
  kari.create(ids.participant, 'participant', {
    display_name: str('Samir Haddad'),
    programme: str('introduction'),
    advisor: str('kari'),
    goal: str('work'),
    language_level: str('a2'),
  });
  kari.create(ids.placement, 'placement', {
    participant: str(ids.participant),
    workplace: str(ids.workplace),
    mentor: { name: str('Per Olsen'), phone: str('41234567') },
    advisor: str('kari'),
    start: str('2026-11-02'),
    planned_end: str('2027-03-31'),
    ended_on: null,
    status: str('active'),
    phase: uint(1),
    tasks: [
      { id: str('t1'), phase: uint(1), text: str('Forme boller'), mastered: false },
      { id: str('t2'), phase: uint(2), text: str('Stå i kassen'), mastered: false },
    ],
    first_meeting: { planned: str('2026-12-14'), held: false },
    second_meeting: { planned: null, held: false },
    contract_signed: true,
    job_prospect: str('unknown'),
    outcome: null,
    outcome_note: str(''),
  });
  kari.create(ids.visit, 'visit', visitFields(ids));
  for (const id of Object.values(ids)) {
    const { ok, errors } = fits(kari.doc(id));
    assert.ok(ok, `${id} fits the schema: ${errors}`);
  }
  await kari.sync();
  for (const [kind, id] of Object.entries(ids)) assert.equal(kari.results.get(id), null, `the ${kind} is accepted`);

  // A mentor by link: their feedback, and nothing else comes to them.
  const made = await fetch(`${url}/api/placements/${ids.placement}/mentor-links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${kari.token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(made.status, 201);
  const { secret } = await made.json();
  rememberSecret(secret);
  const mentor = await ReferenceClient.asMentor(url, secret);
  rememberSecret(mentor.token);
  assert.match(mentor.name, /^mentor:\d+$/);
  await mentor.sync();
  assert.equal(mentor.docs.size, 0, 'a mentor is sent no one else’s records');
  const feedbackId = randomUUID();
  mentor.create(feedbackId, 'mentor_feedback', {
    placement: str(ids.placement),
    mentor_name: str('Per Olsen'),
    attendance: str('good'),
    punctuality: str('good'),
    initiative: str('not_assessed'),
    norwegian: str('ok'),
    tasks_mastered: [str('t1')],
    ready_for_next_phase: str('not_assessed'),
    going_well: str('Stiller presis hver dag.'),
    needs_attention: str(''),
    contact_me: false,
    status: str('green'),
    review: unreviewed(),
  });
  assert.ok(fits(mentor.doc(feedbackId)).ok, fits(mentor.doc(feedbackId)).errors);
  await mentor.sync();
  assert.equal(mentor.results.get(feedbackId), null, 'the feedback is accepted');
  const fresh = await ReferenceClient.asMentor(url, secret);
  await fresh.sync();
  assert.deepEqual([...fresh.docs.keys()], [feedbackId], 'a mentor bootstraps their own feedback only');

  // A record of the wrong shape: the schema and the server both refuse
  // it, and the server says which fields.
  const wrong = randomUUID();
  kari.create(wrong, 'visit', { ...visitFields(ids), visit_type: str('coffee_break') });
  kari.change(wrong, (d) => { delete d.met; });
  assert.equal(fits(kari.doc(wrong)).ok, false, 'the schema refuses it');
  // A plain JS string where a scalar string belongs: JSON cannot tell, the
  // schema's x-automerge and the server can.
  const text = randomUUID();
  kari.create(text, 'participant', {
    display_name: 'Tekst i stedet for streng',
    programme: str('introduction'),
    advisor: str('kari'),
    goal: str('work'),
    language_level: str('a2'),
  });
  await kari.sync();
  const refused = kari.results.get(wrong);
  assert.equal(refused.code, 'invalid_record');
  assert.match(refused.message, /met: missing/);
  assert.match(refused.message, /visit_type: "coffee_break" is not one of drop_in, /);
  assert.match(refused.message_nb, /Hvem vi møtte mangler\./);
  assert.match(kari.results.get(text).message, /^display_name: an Automerge text object where a scalar string is expected/);

  // The phone, offline, edits the visit's summary while this client adds
  // to it and changes its status.
  const phone = await openPage(env.browser, PHONE);
  await loggedInThenOffline(phone, url);
  await phone.getByRole('link', { name: 'Arbeidssteder' }).click();
  await phone.getByRole('link', { name: 'Referansebakeriet' }).click();
  const item = phone.locator('.visit-item', { hasText: 'Kari møtte Per.' });
  await item.getByRole('link', { name: 'Endre' }).click();
  await phone.getByRole('heading', { name: 'Endre besøk' }).waitFor();
  assert.equal(await phone.getByLabel('Oppsummering').inputValue(), 'Kari møtte Per.');
  await phone.getByLabel('Oppsummering').fill('Kari møtte Per i bakeriet.');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();

  kari.change(ids.visit, (d) => {
    Automerge.splice(d, ['summary'], d.summary.length, 0, ' Samir var blid.');
    d.status = str('green');
  });
  await kari.sync();
  assert.equal(kari.results.get(ids.visit), null);

  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  await phone.locator('[data-unconfirmed="0"]').waitFor({ timeout: 15_000 });
  await kari.sync();

  const merged = 'Kari møtte Per i bakeriet. Samir var blid.';
  assert.equal(kari.doc(ids.visit).summary, merged, 'both edits of the text are kept');
  assert.equal(kari.doc(ids.visit).status.toString(), 'green');
  const staff = { headers: { Authorization: `Bearer ${await staffToken(url)}` } };
  const exported = await (await fetch(`${url}/api/participants/${ids.participant}/export`, staff)).json();
  const records = new Map(exported.records.map((r) => [r.content.id, r.content]));
  assert.equal(records.get(ids.visit).summary, merged);
  assert.equal(records.get(ids.visit).status, 'green');
  assert.equal(records.get(ids.placement).tasks[1].text, 'Stå i kassen');
  assert.equal(records.get(feedbackId).going_well, 'Stiller presis hver dag.');
  assert.equal(records.get(ids.participant).display_name, 'Samir Haddad');

  // Two valid edits whose merge breaks a rule: the phone empties the
  // summary (the status is green) while this client unsets the status. The
  // server refuses the phone's push; the phone keeps the visit and says
  // why in Norwegian.
  await phone.context().setOffline(true);
  await phone.reload();
  await phone.locator('.visit-item', { hasText: merged }).getByRole('link', { name: 'Endre' }).click();
  await phone.getByRole('heading', { name: 'Endre besøk' }).waitFor();
  await phone.getByLabel('Oppsummering').fill('');
  await phone.getByRole('button', { name: 'Lagre' }).click();
  await phone.getByRole('heading', { name: 'Hei, Kari Nordmann' }).waitFor();
  kari.change(ids.visit, (d) => { d.status = str('not_assessed'); });
  await kari.sync();
  assert.equal(kari.results.get(ids.visit), null);
  await phone.context().setOffline(false);
  await phone.getByRole('button', { name: 'Synkroniser nå' }).click();
  const refusedVisit = phone.locator('.visit-item', { has: phone.locator('[data-sync-state="rejected"]') });
  await refusedVisit.waitFor({ timeout: 15_000 });
  assert.equal(
    (await refusedVisit.locator('.rejection').textContent()).trim(),
    'Oppsummering må fylles ut når ingen status er valgt.',
  );
  const kept = (await (await fetch(`${url}/api/participants/${ids.participant}/export`, staff)).json())
    .records.find((r) => r.content.id === ids.visit).content;
  assert.equal(kept.summary, merged, 'the server keeps the last valid visit');

  // A new device bootstraps the merged record.
  const second = await ReferenceClient.logIn(url, 'ola', 'stikkinnom');
  rememberSecret(second.token);
  await second.sync();
  assert.equal(second.doc(ids.visit).summary, merged);
  assert.ok(!second.docs.has(wrong) && !second.docs.has(text), 'nothing of a refused record is stored');
  await phone.context().close();
});

test('generated variants of a visit: the schema and the server accept and refuse the same ones', async () => {
  const url = env.server.url;
  const fits = await schemaValidator(url);
  const schema = await (await fetch(`${url}/api/schema/records.json`)).json();
  const visitSchema = schema.$defs.Visit;
  const kari = await ReferenceClient.logIn(url, 'kari', 'stikkinnom');
  rememberSecret(kari.token);
  await kari.sync();
  const [placement] = [...kari.docs.values()].map((l) => l.doc).filter((d) => d.kind.toString() === 'placement');
  const ids = { workplace: placement.workplace.toString(), placement: placement.id.toString() };

  // Every required property left out, every vocabulary word and one word
  // outside each vocabulary: Ajv on the served schema says which the
  // server must accept.
  const variants = [];
  for (const key of visitSchema.required) {
    if (['id', 'kind', 'created_by'].includes(key)) continue; // the identity, checked before the shape
    variants.push({ what: `without ${key}`, edit: (d) => { delete d[key]; } });
  }
  for (const [key, definition] of [['visit_type', 'VisitType'], ['job_signal', 'JobSignal'], ['status', 'Status']]) {
    for (const word of [...schema.$defs[definition].enum, 'coffee_break']) {
      variants.push({ what: `${key} ${word}`, edit: (d) => { d[key] = str(word); } });
    }
  }
  const expected = new Map();
  for (const { what, edit } of variants) {
    const id = randomUUID();
    kari.create(id, 'visit', visitFields(ids));
    kari.change(id, edit);
    expected.set(id, { what, fits: fits(kari.doc(id)).ok });
  }
  assert.ok([...expected.values()].some((v) => v.fits) && [...expected.values()].some((v) => !v.fits));
  await kari.sync();
  for (const [id, { what, fits: ok }] of expected) {
    const refusal = kari.results.get(id);
    assert.equal(refusal === null, ok, `${what}: the schema says ${ok ? 'valid' : 'invalid'}, the server ${JSON.stringify(refusal)}`);
    if (refusal) assert.equal(refusal.code, 'invalid_record', what);
    if (what.startsWith('without ')) assert.match(refusal.message, new RegExp(`^${what.slice(8)}: missing`), what);
  }
});

// securebase serve in a real browser: Playwright driving Debian's chromium
// against `securebase serve --demo` on 127.0.0.1. The story of the issue:
// an admin creates a clinician; the clinician adds and invites a client;
// the client, on a phone-sized screen, joins, answers an ECR-R and writes a
// reflection; the caseload shows the new scores; another client cannot
// open the first one's pages; signing out works. Every page is checked with
// axe (no serious or critical violations) and photographed on a phone and
// a desktop screen; one form is filled with the keyboard alone. The server
// has local norms of the ECR-R (--norms), which the pages name.
//
// SB_CLI names the securebase binary; SB_SCREENSHOT_DIR where the pictures
// go (default: a folder in the system's temporary directory).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, writeFileSync }
  from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const CLI = process.env.SB_CLI || path.resolve('../../build/securebase');
const CHROMIUM = process.env.SB_CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.SB_SCREENSHOT_DIR ||
  path.join(tmpdir(), 'securebase-screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
// The launch flags of a browser that talks to nothing but our server.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let server;
let base;
const dirs = [];
const contexts = [];

before(async () => {
  assert.ok(existsSync(CLI), `no securebase at ${CLI}`);
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}`);
  mkdirSync(SHOTS, { recursive: true });
  const normsDir = mkdtempSync(path.join(tmpdir(), 'securebase-norms-'));
  dirs.push(normsDir);
  const norms = path.join(normsDir, 'ecr-r-norms.csv');
  writeFileSync(norms,
    'instrument,score,scale,population,n,mean,sd,alpha,alpha_n,date,source\n' +
    'ecr-r,anxiety,1-7,clinical,212,4.1,1.1,0.93,205,2026-03-01,intake\n' +
    'ecr-r,avoidance,1-7,clinical,212,3.6,1.2,0.80,207,2026-03-01,intake\n');
  server = spawn(CLI, ['serve', '--demo', '--listen', '127.0.0.1:0', '--quiet',
    '--norms', norms], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start')),
      120000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  if (server) server.kill('SIGTERM');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// A browser of its own (fresh profile) for one person.
async function browser(viewport) {
  const dir = mkdtempSync(path.join(tmpdir(), 'securebase-chromium-'));
  dirs.push(dir);
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport,
  });
  contexts.push(context);
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  return page;
}

// axe on the page as it is; on a phone, no page wider than the screen (a
// wide table scrolls in its own box, the page never sideways); then a
// full-page picture.
async function check(page, name) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ` +
      v.nodes.map((n) => n.target.join(' ')).join(', '));
  assert.deepEqual(bad, [], `accessibility of ${name}`);
  const w = page.viewportSize().width;
  if (w < 600) {
    const [doc, screen] = await page.evaluate(() =>
      [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(doc <= screen,
      `${name} is ${doc} px wide on a ${screen} px phone screen`);
  }
  // Whole pages, except very long ones (a questionnaire on a phone is one
  // statement per screen): those as the screen shows them.
  const tall = await page.evaluate(() => document.body.scrollHeight);
  await page.screenshot({
    path: path.join(SHOTS, `${name}-${w < 600 ? 'phone' : 'desktop'}.png`),
    fullPage: tall < 6000,
  });
}

// The audit log on a phone: one card per entry, every value in sight after
// its column's heading (empty values left out).
async function auditCards(page) {
  const { heads, rows, screen } = await page.evaluate(() => ({
    heads: [...document.querySelectorAll('table.audit thead th')]
      .map((th) => th.textContent),
    rows: [...document.querySelectorAll('table.audit tbody tr')].map((tr) =>
      [...tr.cells].map((td) => {
        const box = td.getBoundingClientRect();
        return { label: td.dataset.label, text: td.textContent.trim(),
          before: getComputedStyle(td, '::before').content,
          left: box.left, right: box.right, width: box.width };
      })),
    screen: window.innerWidth,
  }));
  assert.equal(heads.length, 7);
  assert.ok(rows.length >= 2, 'audit entries');
  let client = 0;
  for (const cells of rows) {
    assert.deepEqual(cells.map((c) => c.label), heads);
    for (const c of cells.filter((x) => x.text)) {
      assert.ok(c.width > 0 && c.left >= 0 && c.right <= screen,
        `${c.label} ${c.text} out of sight (${c.left}-${c.right})`);
      assert.equal(c.before, `"${c.label}: "`);
      client += c.label === 'Client';
    }
  }
  assert.ok(client > 0, 'entries that name a client');
}

async function signIn(page, username, password) {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
}

// Presses Tab until `selector` has the focus (keyboard only).
async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s),
      selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const state = {};

test('an admin creates a clinician, who sets a password', async () => {
  const admin = await browser(DESKTOP);
  await signIn(admin, 'admin', 'demo-admin-password');
  await admin.waitForURL(/\/admin\/accounts$/);
  await check(admin, 'admin-accounts');
  await admin.fill('#username', 'dr.new');
  await admin.check('input[name=role][value=clinician]');
  await admin.click('text=Create the account');
  const link = (await admin.textContent('code.link')).trim();
  assert.match(link, /\/reset\/[A-Za-z0-9_-]{43}$/);
  await check(admin, 'admin-account-created');
  state.admin = admin;

  const dr = await browser(DESKTOP);
  await dr.goto(link);
  await check(dr, 'reset-password');
  await dr.fill('#password', 'clinician pass phrase');
  await dr.fill('#again', 'clinician pass phrase');
  await dr.click('button[type=submit]');
  await dr.waitForURL(/\/login\?done=password$/);
  await signIn(dr, 'dr.new', 'clinician pass phrase');
  await dr.waitForURL(/\/caseload$/);
  await check(dr, 'caseload-empty');
  state.dr = dr;
});

test('the clinician adds a client and invites them', async () => {
  const dr = state.dr;
  await dr.fill('#name', 'Gale (test)');
  await dr.click('text=Add to my caseload');
  await dr.waitForURL(/\/clients\/\d+\?done=client$/);
  state.client = dr.url().match(/\/clients\/(\d+)/)[1];
  await dr.click('text=Create an invite link');
  const link = (await dr.textContent('code.link')).trim();
  assert.match(link, /\/join\/[A-Za-z0-9_-]{43}$/);
  state.invite = link;
  await check(dr, 'client-invited');
});

test('the client joins on a phone, answers an ECR-R and reflects', async () => {
  const me = await browser(PHONE);
  await me.goto(state.invite);
  await check(me, 'join');
  await me.fill('#username', 'gale');
  await me.fill('#password', 'gale pass phrase');
  await me.fill('#again', 'gale pass phrasE');
  await me.click('button[type=submit]');
  assert.match(await me.textContent('.error'), /not the same/);
  await me.fill('#password', 'gale pass phrase');
  await me.fill('#again', 'gale pass phrase');
  await me.click('button[type=submit]');
  await me.waitForURL(/\/me\?done=joined$/);
  await check(me, 'client-home-new');

  await me.click('nav >> text=Questionnaires');
  await check(me, 'questionnaires');
  await me.click('text=Experiences in Close Relationships - Revised');
  await me.waitForURL(/\/me\/questionnaires\/ecr-r$/);
  await check(me, 'questionnaire-ecr-r');
  // Half now, kept as a draft.
  for (let i = 1; i <= 18; i++) await me.check(`input[name=item${i}][value="5"]`);
  await me.click('text=Save and finish later');
  await me.waitForURL(/done=draft/);
  assert.match(await me.textContent('main'), /18 of 36 answered/);
  await me.click('text=Experiences in Close Relationships - Revised');
  assert.equal(await me.isChecked('input[name=item18][value="5"]'), true);
  // Submitting with items missing keeps the answers and says which.
  await me.click('text=Submit my answers');
  assert.match(await me.textContent('.error'), /18 statements still need/);
  await check(me, 'questionnaire-missing');
  for (let i = 19; i <= 36; i++) await me.check(`input[name=item${i}][value="3"]`);
  await me.click('text=Submit my answers');
  await me.waitForURL(/\/me\?done=questionnaire$/);
  const home = await me.textContent('main');
  // Items 9 and 11 (anxiety) and twelve avoidance items are reverse-keyed:
  // the measure layer scores 16 x 5 + 2 x 3 over 18 = 4.78, and
  // 6 x 3 + 12 x 5 over 18 = 4.33.
  assert.match(home, /anxiety\s+4\.78 and avoidance 4\.33/);
  await check(me, 'client-home-scored');

  await me.click('nav >> text=Reflections');
  await me.fill('#trigger', 'plans cancelled <b>again</b>');
  await me.fill('#situation', 'A friend cancelled dinner.');
  await me.fill('#old_response', 'go quiet for days');
  await me.check('input[name=tried][value=yes]');
  await me.fill('#new_response', 'said I was disappointed');
  await me.fill('#intensity', '6');
  await me.click('text=Save the reflection');
  await me.waitForURL(/done=reflection/);
  // Shown as text, not markup.
  assert.equal(await me.locator('article h3').first().textContent(),
    'plans cancelled <b>again</b>');
  await check(me, 'reflections');
  for (const [label, name] of [['Practice', 'practice'],
    ['Relationships', 'relationships'], ['My data', 'my-data'],
    ['Account', 'account']]) {
    await me.click(`nav >> text=${label}`);
    await check(me, name);
  }
  await me.click('nav >> text=My journey');
  assert.match(await me.textContent('h1'), /Gale \(test\)/);
  // Every table of the report in a box that scrolls by itself and can take
  // the keyboard's focus; check() sees the page no wider than the phone.
  const boxes = await me.$$eval('table', (ts) => ts.map((t) => {
    const box = t.parentElement;
    return box.matches('.tablewrap[tabindex="0"][role=region][aria-label]') &&
      getComputedStyle(box).overflowX === 'auto';
  }));
  assert.ok(boxes.length >= 3, 'the report has tables');
  assert.deepEqual(boxes.filter((b) => !b), [], 'tables outside a scroll box');
  await check(me, 'journey-report');
  state.me = me;
});

test('the caseload shows the new scores and their status', async () => {
  const dr = state.dr;
  await dr.goto(`${base}/caseload`);
  const row = dr.locator('tr', { hasText: 'Gale (test)' });
  assert.match(await row.textContent(), /4\.78\s*4\.33/);
  assert.match(await row.textContent(), /one questionnaire/);
  await check(dr, 'caseload');
  await dr.click('text=Gale (test)');
  assert.match(await dr.textContent('main'), /anxiety 4\.78 and avoidance 4\.33/);
  assert.match(await dr.textContent('main'), /signs in as gale/);
  await check(dr, 'client-page');
  // What-if plans: the model's comparison, then a plan that is refused.
  await dr.click('text=What-if plans');
  assert.match(await dr.textContent('main'), /This is the output of a simulation model/);
  assert.match(await dr.textContent('main'), /After 52 weeks/);
  await check(dr, 'client-whatif');
  await dr.fill('#plan1', 'calm=practice=1/day;reflection=2/week');
  await dr.fill('#plan2', 'therapy=daily');
  await dr.click('button:has-text("Compare")');
  await dr.waitForURL((u) => u.search.includes('plan2=therapy'));
  assert.match(await dr.textContent('main'), /therapy: 'daily' is not one of/);
  await dr.fill('#plan2', '');
  await dr.click('button:has-text("Compare")');
  await dr.waitForURL((u) => u.search.includes('plan2=&'));
  assert.match(await dr.textContent('main'), /calm \(practice=1\/day;reflection=2\/week\)/);
  await check(dr, 'client-whatif-own-plans');
  // The demo clinician's caseload, sorted by anxiety, highest first.
  const other = await browser(DESKTOP);
  await signIn(other, 'dr.rivera', 'demo-clinician-password');
  await other.waitForURL(/\/caseload$/);
  await other.click('thead >> text=Anxiety');
  await other.click('thead >> text=Anxiety');
  assert.match(other.url(), /sort=anxiety&dir=desc/);
  assert.match(await other.textContent('main'),
    /Reliable change uses the practice's local norms of ecr-r \(clinical sample, N = 212, 2026-03-01, intake\)/);
  await check(other, 'caseload-demo');
  // On a phone: one card per client, the headings (sort links) hidden, and
  // a form that sorts the same way without script.
  await other.setViewportSize(PHONE);
  assert.equal(await other.isVisible('thead'), false);
  assert.equal(await other.isVisible('form.sort'), true);
  await other.selectOption('#sort', 'avoidance');
  await other.selectOption('#dir', 'asc');
  await other.click('form.sort button');
  await other.waitForURL(/\/caseload\?sort=avoidance&dir=asc$/);
  const avoidance = (await other.$$eval('td[data-label=Avoidance]',
    (tds) => tds.map((td) => td.textContent.trim())))
    .filter((v) => v !== '\u2013').map(Number);
  assert.ok(avoidance.length >= 2, 'clients with scores');
  assert.deepEqual(avoidance, [...avoidance].sort((a, b) => a - b));
  assert.equal(await other.inputValue('#sort'), 'avoidance');
  await check(other, 'caseload-demo-sorted');
  await other.setViewportSize(DESKTOP);
  assert.equal(await other.isVisible('form.sort'), false);
  assert.equal(await other.isVisible('thead'), true);
  await other.click('text=Blair (example)');
  await check(other, 'client-page-demo');
  await other.click('text=Journey report');
  await check(other, 'client-report');
});

test('another client cannot open the first one\'s pages', async () => {
  const blair = await browser(PHONE);
  // Signed in with the keyboard alone.
  await blair.goto(`${base}/login`);
  await tabTo(blair, '#username');
  await blair.keyboard.type('blair');
  await blair.keyboard.press('Tab');
  await blair.keyboard.type('demo-client-password');
  await blair.keyboard.press('Enter');
  await blair.waitForURL(/\/me$/);
  assert.match(await blair.textContent('h1'), /Blair/);
  await check(blair, 'client-home');
  for (const p of [`/clients/${state.client}`, `/clients/${state.client}/report`,
    `/clients/${state.client}/data/journal.csv`, '/caseload', '/admin/audit']) {
    const res = await blair.goto(`${base}${p}`);
    assert.equal(res.status(), 403, p);
    assert.doesNotMatch(await blair.textContent('body'), /Gale/);
  }
  await check(blair, 'not-allowed');
  // A reflection written with the keyboard alone.
  await blair.goto(`${base}/me/reflections`);
  await tabTo(blair, '#trigger');
  await blair.keyboard.type('criticism at work');
  await tabTo(blair, 'input[name=tried][value=yes]');
  await blair.keyboard.press('Space');
  await tabTo(blair, '#new_response');
  await blair.keyboard.type('asked what they meant');
  await tabTo(blair, '#intensity');
  await blair.keyboard.type('3');
  await blair.keyboard.press('Enter');
  await blair.waitForURL(/done=reflection/);
  assert.match(await blair.textContent('main'), /criticism at work/);
  state.blair = blair;
});

test('signing out ends the session', async () => {
  const me = state.me;
  await me.goto(`${base}/me`);
  await me.click('text=Sign out');
  await me.waitForURL(/\/login\?done=out$/);
  await check(me, 'signed-out');
  await me.goto(`${base}/me/reflections`);
  assert.match(me.url(), /\/login$/);
});

test('every page on a phone and on a desktop', async () => {
  const pages = {
    admin: ['/admin/accounts', '/admin/assignments', '/admin/audit', '/account'],
    blair: ['/me', '/me/questionnaires', '/me/questionnaires/rq',
      '/me/questionnaires/ecr-rs', '/me/reflections', '/me/practice',
      '/me/relationships', '/me/data', '/me/report'],
    dr: ['/caseload', `/clients/${state.client}`,
      `/clients/${state.client}/whatif`],
  };
  for (const [who, paths] of Object.entries(pages)) {
    const page = state[who];
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      for (const p of paths) {
        await page.goto(`${base}${p}`);
        const name = `all-${who}${p.replace(/[^a-z0-9]+/gi, '-')}`;
        await check(page, name);
        if (p === '/admin/audit' && size === PHONE) await auditCards(page);
      }
    }
  }
  const anon = await browser(PHONE);
  for (const size of [PHONE, DESKTOP]) {
    await anon.setViewportSize(size);
    await anon.goto(`${base}/login`);
    await check(anon, 'all-login');
  }
});

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { today } from '@squad/projections';
import { startTestApi, type TestApi } from './test-api';

/**
 * The dashboard served at `/`, driven in a real Chromium (Debian's `chromium` through
 * playwright-core, no downloaded browser). Screenshots go to test/artifacts/ (ignored by git)
 * so a person can look at the page.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const ARTIFACTS = join(__dirname, '..', '..', '..', 'test', 'artifacts');

// flags that keep a headless Chromium quiet and self-contained on a machine without internet
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const testId = (id: string) => `[data-testid="${id}"]`;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ SEED_ON_EMPTY: 'true' });
});
afterAll(() => api?.close());

describe('dashboard files and the club list', () => {
  it('lists the clubs the reports mention, sorted, with the store position', async () => {
    const response = await fetch(`${api.url}/v1/clubs`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      storePosition: await api.head(),
      clubs: ['ajax', 'atletico-madrid', 'juventus', 'marseille'],
    });
  });

  it('serves the page at / without shadowing the API, the docs or the problem-details 404', async () => {
    const page = await fetch(`${api.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('data-testid="squad-board"');
    for (const [path, type] of [
      ['/app.js', 'javascript'],
      // the typed client, bundled by `npm run build:dashboard`
      ['/vendor/squad-client.js', 'javascript'],
      ['/styles.css', 'text/css'],
      ['/health', 'json'],
      ['/docs-json', 'json'],
    ]) {
      const response = await fetch(`${api.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-type')).toContain(type);
    }
    for (const path of ['/nothing-here.js', '/v1/nothing-here']) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

// Without a browser: fail loudly in CI (where .ci/run installs one), skip loudly elsewhere.
if (!HAS_CHROMIUM && !IN_CI) {
  process.stderr.write(
    `\n*** dashboard browser test SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH) ***\n\n`,
  );
}
const describeInBrowser = HAS_CHROMIUM || IN_CI ? describe : describe.skip;
const browserSuiteName = HAS_CHROMIUM
  ? 'dashboard in Chromium'
  : `dashboard in Chromium — ${IN_CI ? 'FAILS in CI' : 'SKIPPED'}: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;

describeInBrowser(browserSuiteName, () => {
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!HAS_CHROMIUM)
      throw new Error(
        `CI=true but no Chromium at ${CHROMIUM}: the dashboard test needs it (.ci/run installs Debian's chromium)`,
      );
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // fail fast inside jest's own timeout rather than after playwright's 30 s default
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('follows live reports without reloading, travels to 2025-06-20, and reads on a laptop and a phone', async () => {
    // 1. Juventus, live: the board as of today comes from the stream's snapshot
    await page.goto(`${api.url}/?club=juventus`);
    await page.locator(`${testId('live-indicator')}[data-state="live"]`).waitFor();
    await page.locator(`${testId('player-federico-gatti')}[data-status="available"]`).waitFor();
    await page.locator(testId('targets-empty')).waitFor(); // 2025 news is too old for today's list
    expect(await page.locator(testId('club-select')).inputValue()).toBe('juventus');
    // a marker that a reload would wipe out (page scripts as strings: the tests compile without the DOM types)
    await page.evaluate('window.dashboardTestMarker = "no reload"');

    // 2. a report dated today: Gatti injured, and a new target; the page changes by itself
    const expectedBack = addDays(today(), 30);
    const response = await api.post('/v1/reports', {
      reportId: 'dashboard-e2e-gatti-injured',
      source: { name: 'Dashboard test' },
      publishedOn: today(),
      claims: [
        { type: 'PlayerInjured', player: 'federico-gatti', injury: 'hamstring strain', expectedReturnOn: expectedBack },
        { type: 'InterestDeclared', club: 'juventus', player: 'jonathan-david', priority: 'high' },
      ],
    });
    expect(response.status).toBe(201);
    const { storePosition: position } = (await response.json()) as { storePosition: number };

    const gatti = page.locator(`${testId('player-federico-gatti')}[data-status="injured"].is-changed`);
    await gatti.waitFor();
    expect(await gatti.textContent()).toContain(`expected back ${expectedBack}`);
    await page.locator(`${testId('target-jonathan-david')}[data-stage="interest"].is-changed`).waitFor();
    await page.locator(`${testId('squad-board')}[data-position="${position}"]`).waitFor();
    expect(await page.evaluate('window.dashboardTestMarker')).toBe('no reload');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-live-1280x800.png'), fullPage: true });

    // 3. time travel: the world on 2025-06-20, when Bremer was still recovering
    await page.getByTestId('as-of').fill('2025-06-20');
    await page.locator(`${testId('live-indicator')}[data-state="off"]`).waitFor();
    const bremer = page.locator(`${testId('player-gleison-bremer')}[data-status="injured"]`);
    await bremer.waitFor();
    expect(await bremer.textContent()).toContain('Injured');
    // Gatti's injury of today is not there yet, and the stream is closed: this is REST for that day
    await page.locator(`${testId('player-federico-gatti')}[data-status="available"]`).waitFor();
    await page.locator(`${testId('target-leonardo-balerdi')}[data-stage="talks-refused"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('asOf')).toBe('2025-06-20');
    expect(await page.locator(testId('context')).textContent()).toContain('as of 2025-06-20');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-2025-06-20-1280x800.png'), fullPage: true });

    // 4. the same view on a phone-sized window: one column, nothing wider than the screen
    await page.setViewportSize({ width: 390, height: 844 });
    await bremer.waitFor();
    const widths = await page.evaluate<{ scroll: number; window: number }>(
      '({ scroll: document.scrollingElement.scrollWidth, window: window.innerWidth })',
    );
    expect(widths.scroll).toBeLessThanOrEqual(widths.window);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-2025-06-20-390x844.png'), fullPage: true });

    // 5. another club from the picker: the URL follows
    await page.getByTestId('club-select').selectOption('marseille');
    await page.locator(`${testId('player-leonardo-balerdi')}[data-status="available"]`).waitFor();
    expect(new URL(page.url()).searchParams.get('club')).toBe('marseille');

    expect(problems).toEqual([]);
  }, 60_000);

  it('finds a club by typing part of any of its names, and opens it', async () => {
    const recorded = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'marseille-profile',
        source: { name: 'Club records', kind: 'official' },
        publishedOn: '2025-06-02',
        claims: [{ type: 'ClubProfileReported', club: 'marseille', name: 'Olympique de Marseille', aliases: ['OM'] }],
      },
    });
    expect(recorded.response.status).toBe(201);
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    other.setDefaultTimeout(10_000);
    const unexpected: string[] = [];
    other.on('pageerror', (error) => unexpected.push(error.message));
    await other.goto(`${api.url}/?club=juventus`);
    await other.locator(`${testId('live-indicator')}[data-state="live"]`).waitFor();
    // accents and case do not matter; the datalist offers "name · slug"
    await other.getByTestId('club-search').fill('olympique');
    await other.locator(`${testId('club-matches')} option[value="Olympique de Marseille · marseille"]`).waitFor({
      state: 'attached',
    });
    await other.getByTestId('club-search').press('Enter');
    await other.locator(`${testId('player-leonardo-balerdi')}[data-status="available"]`).waitFor();
    expect(new URL(other.url()).searchParams.get('club')).toBe('marseille');
    expect(await other.getByTestId('club-select').inputValue()).toBe('marseille');
    expect(await other.getByTestId('club-search').inputValue()).toBe('');
    // choosing an offered option (the datalist fills the input with its label) opens that club too
    await other.getByTestId('club-search').fill('atleti');
    await other.locator(`${testId('club-matches')} option[value$="· atletico-madrid"]`).waitFor({ state: 'attached' });
    await other.getByTestId('club-search').fill('Atletico Madrid · atletico-madrid');
    await other.waitForURL((url) => url.searchParams.get('club') === 'atletico-madrid');
    await other.close();
    expect(unexpected).toEqual([]);
  }, 30_000);

  it('shows why the live stream of an unknown club is refused, then goes live on a real one', async () => {
    const other = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    other.setDefaultTimeout(10_000);
    const unexpected: string[] = [];
    other.on('console', (message) => {
      // the refused stream's 404 is what this test provokes; nothing else may fail
      if (message.type() === 'error' && !/status of 404/.test(message.text())) unexpected.push(message.text());
    });
    other.on('pageerror', (error) => unexpected.push(error.message));
    await other.goto(`${api.url}/?club=atlantis-fc`);
    await other.locator(`${testId('live-indicator')}[data-state="offline"]`).waitFor();
    const error = other.locator(`${testId('error')}:not([hidden])`);
    await error.waitFor();
    expect(await error.textContent()).toContain('atlantis-fc');
    await other.getByTestId('club-select').selectOption('juventus');
    await other.locator(`${testId('live-indicator')}[data-state="live"]`).waitFor();
    expect(await other.locator(testId('error')).isHidden()).toBe(true);
    await other.close();
    expect(unexpected).toEqual([]);
  }, 30_000);

  it('shows the manager, contract expiries and stale flags on the board of a past day', async () => {
    const day = '2025-09-30';
    // an injury reported long before the day with no return expected and no later news (stale after
    // 60 days), a contract, and an injury reported five days before the day (fresh)
    const old = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'dashboard-e2e-cabal-old-injury',
        source: { name: 'Dashboard test' },
        publishedOn: '2025-07-01',
        claims: [
          { type: 'PlayerInjured', player: 'juan-cabal', injury: 'knee ligament' },
          { type: 'ContractRecorded', player: 'juan-cabal', club: 'juventus', expiresOn: '2029-06-30' },
        ],
      },
    });
    expect(old.response.status).toBe(201);
    const fresh = await api.client.api.POST('/v1/reports', {
      body: {
        reportId: 'dashboard-e2e-savona-fresh-injury',
        source: { name: 'Dashboard test' },
        publishedOn: addDays(day, -5),
        claims: [{ type: 'PlayerInjured', player: 'nicolo-savona', injury: 'ankle sprain' }],
      },
    });
    expect(fresh.response.status).toBe(201);

    // what the API says for that day: the page must show the same
    const params = { path: { club: 'juventus' }, query: { asOf: day } };
    const club = await api.client.api.GET('/v1/clubs/{club}', { params });
    expect(club.response.status).toBe(200);
    const manager = club.data?.manager;
    expect(manager).toMatchObject({ name: 'Igor Tudor', since: '2025-06-17' });
    const depth = await api.client.api.GET('/v1/clubs/{club}/squad-depth', { params });
    expect(depth.response.status).toBe(200);
    const players = [...(depth.data?.positions ?? []).flatMap((p) => p.players), ...(depth.data?.unpositioned ?? [])];
    const cabal = players.find((p) => p.player === 'juan-cabal');
    const savona = players.find((p) => p.player === 'nicolo-savona');
    expect(cabal).toMatchObject({ status: 'injured', contractExpiresOn: '2029-06-30' });
    expect(cabal?.injury).toMatchObject({ stale: true, lastNewsOn: '2025-07-01' });
    expect(savona).toMatchObject({ status: 'injured' });
    expect(savona?.injury?.stale).toBe(false);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${api.url}/?club=juventus&asOf=${day}`);
    await page.locator(`${testId('live-indicator')}[data-state="off"]`).waitFor();

    // 1. the manager on that day
    const managerLine = page.locator(`${testId('board-manager')}:not([hidden])`);
    await managerLine.waitFor();
    expect(await managerLine.getByTestId('manager-name').textContent()).toBe(manager?.name);
    expect(await managerLine.getByTestId('manager-since').textContent()).toContain(`since ${manager?.since}`);

    // 2. the contract expiry, as the API gives it
    const cabalRow = page.locator(`${testId('player-juan-cabal')}[data-status="injured"]`);
    await cabalRow.waitFor();
    expect(await cabalRow.getByTestId('contract').textContent()).toBe(`Contract to ${cabal?.contractExpiresOn}`);

    // 3. the stale injury is flagged with its last news; the fresh one is not
    const stale = cabalRow.getByTestId('stale-injury');
    expect(await stale.isVisible()).toBe(true);
    expect(await stale.textContent()).toContain(`stale · no news since ${cabal?.injury?.lastNewsOn}`);
    expect(await stale.getAttribute('title')).toContain(`no news since ${cabal?.injury?.lastNewsOn}`);
    const savonaRow = page.locator(`${testId('player-nicolo-savona')}[data-status="injured"]`);
    await savonaRow.waitFor();
    expect(await savonaRow.getByTestId('stale-injury').count()).toBe(0);
    expect(await page.locator(`${testId('squad-board')} ${testId('stale-injury')}`).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-${day}-stale-1280x800.png`), fullPage: true });

    // 4. before the appointment, no manager is known
    await page.getByTestId('as-of').fill('2025-06-16');
    await page.locator(`${testId('board-manager')}:not([hidden]) ${testId('manager-none')}`).waitFor();
    expect(await page.locator(testId('board-manager')).textContent()).toContain('No manager known');
    expect(await page.locator(testId('manager-name')).count()).toBe(0);

    expect(problems).toEqual([]);
  }, 60_000);
});

describeInBrowser(`${browserSuiteName}: API keys and the docs page`, () => {
  const READ_KEY = 'dashboard-read-key-0123456789';
  let keyed: TestApi;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!HAS_CHROMIUM)
      throw new Error(
        `CI=true but no Chromium at ${CHROMIUM}: the dashboard test needs it (.ci/run installs Debian's chromium)`,
      );
    keyed = await startTestApi({
      SEED_ON_EMPTY: 'true',
      API_KEYS: 'dashboard-write-key-0123456789',
      READ_API_KEYS: READ_KEY,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await keyed?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      // the 401s that make the page ask for a key are expected; nothing else may fail
      if (message.type() === 'error' && !/status of 401/.test(message.text()))
        problems.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  }

  it('asks for a key when reads need one, refuses a wrong one, then goes live with it and remembers it', async () => {
    const page = await newPage();
    // every call, the live stream too, goes through the typed client with a Bearer header
    const apiCalls: { url: string; authorization?: string }[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/'))
        apiCalls.push({ url: request.url(), authorization: request.headers().authorization });
    });
    await page.goto(`${keyed.url}/?club=juventus`);
    const form = page.locator(`${testId('key-form')}:not([hidden])`);
    await form.waitFor();
    expect(await page.locator(testId('key-reason')).textContent()).toContain('needs an API key');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-key-1280x800.png') });

    await page.getByTestId('api-key').fill('not-the-key-0123456789');
    await page.getByTestId('use-key').click();
    await page.locator(testId('key-reason'), { hasText: 'refused' }).waitFor();

    await page.getByTestId('api-key').fill(READ_KEY);
    await page.getByTestId('use-key').click();
    await page.locator(`${testId('live-indicator')}[data-state="live"]`).waitFor();
    await page.locator(`${testId('player-federico-gatti')}[data-status="available"]`).waitFor();
    expect(await page.locator(testId('key-form')).isHidden()).toBe(true);

    // the stream carries the key: a report recorded now shows up live
    const response = await fetch(`${keyed.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer dashboard-write-key-0123456789' },
      body: JSON.stringify({
        reportId: 'dashboard-key-gatti',
        source: { name: 'Dashboard test' },
        publishedOn: today(),
        claims: [{ type: 'PlayerInjured', player: 'federico-gatti' }],
      }),
    });
    expect(response.status).toBe(201);
    await page.locator(`${testId('player-federico-gatti')}[data-status="injured"].is-changed`).waitFor();

    // time travel (REST with the Bearer header), then a reload: the key is remembered
    await page.getByTestId('as-of').fill('2025-06-20');
    await page.locator(`${testId('player-gleison-bremer')}[data-status="injured"]`).waitFor();
    await page.reload();
    await page.locator(`${testId('player-gleison-bremer')}[data-status="injured"]`).waitFor();
    expect(await page.locator(testId('key-form')).isHidden()).toBe(true);
    await page.close();
    expect(problems).toEqual([]);
    expect(apiCalls.some((call) => call.url.includes('/updates'))).toBe(true);
    expect(apiCalls.filter((call) => call.url.includes('access_token'))).toEqual([]);
    const withKey = apiCalls.filter((call) => call.authorization === `Bearer ${READ_KEY}`);
    expect(withKey.map((call) => new URL(call.url).pathname)).toEqual(
      expect.arrayContaining(['/v1/clubs', '/v1/clubs/juventus/updates', '/v1/clubs/juventus/squad-depth']),
    );
  }, 60_000);

  it('loads the OpenAPI page under its security policy', async () => {
    const page = await newPage();
    await page.goto(`${keyed.url}/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'Squad Planner' }).waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/v1/reports' }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'docs-1280x800.png') });
    await page.close();
    expect(problems).toEqual([]);
  }, 30_000);
});

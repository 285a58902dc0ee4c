import { Browser, chromium, Page } from 'playwright-core';
import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import { createMapping, createSource, CreatedSource, payload } from './helpers/fixtures';
import { ADMIN_API_KEY } from './helpers/services';

/** The web event log, driven in headless Chromium (Debian's `chromium` package). */
describe('web event log (/ui)', () => {
  let db: TestDatabase;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let source: CreatedSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db);
    source = await createSource(app, 'posthog', 'posthog');
    await createMapping(app, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'identify_user',
      field_map: { id: 'body.userId', email: 'body.properties.email' },
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  it('asks for the admin key once, then shows the ingestion URL', async () => {
    await page.goto(`${app.url}/ui`);
    expect(new URL(page.url()).pathname).toBe('/ui/login');
    await page.fill('#key', 'not-the-key');
    await page.click('button[type=submit]');
    await page.getByText('That is not the admin API key.').waitFor();
    await page.fill('#key', ADMIN_API_KEY);
    await page.click('button[type=submit]');
    await page.waitForURL(`${app.url}/ui`);
    // PUBLIC_URL is unset in the tests (it would say localhost:0): compare where it points.
    expect(new URL((await page.textContent('#ingestion-url'))!).pathname).toBe(source.paths.development);
  });

  it('shows an event as it arrives, and its whole trace when clicked', async () => {
    await app
      .http()
      .post(source.paths.development)
      .send(payload('knock-destination/user-signed-up.json'))
      .expect(202);
    const row = page.locator('#events tr', { hasText: 'user_signed_up' });
    await row.locator('.s-processed').waitFor({ timeout: 10000 });
    await row.click();
    const trace = page.locator('#trace');
    await trace.getByText('Mappings and actions').waitFor();
    expect(await trace.textContent()).toContain('grace@example.com');
    expect(await trace.textContent()).toContain('"action": "identify_user"');
  });

  it('runs the mappings on a pasted payload without storing anything', async () => {
    await page.fill(
      '#test-payload',
      JSON.stringify({
        type: 'track',
        event: 'user_signed_up',
        userId: 'u_9',
        properties: { email: 'nine@example.com' },
        messageId: 'm-9',
      }),
    );
    await page.click('#test-form button[type=submit]');
    await page.locator('#test-result', { hasText: 'nine@example.com' }).waitFor();
    expect(await page.textContent('#test-result')).toContain('"result": "matched"');
    await app.admin.get('/v1/environments/development/users/u_9').expect(404);
  });

  it('opens the queue dashboard with the same session, and only with it', async () => {
    const response = await page.goto(`${app.url}/admin/queues`);
    expect(response?.status()).toBe(200);
    const anonymous = await app.http().get('/admin/queues').expect(303);
    expect(anonymous.headers.location).toBe('/ui/login?next=%2Fadmin%2Fqueues');
  });
});

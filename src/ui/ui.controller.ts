import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { checkAdmin, SESSION_COOKIE, sessionValue } from '../auth/admin-auth';
import { UnauthorizedError } from '../auth/api-key.guard';
import { Public } from '../auth/public.decorator';
import { constantTimeEqual } from '../common/secrets';
import { AppConfig } from '../config/app-config';
import { Environment } from '../environments/environment.entity';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { Source } from '../sources/source.entity';
import { escapeHtml, page } from './html';
import { UI_SCRIPT } from './ui-script';

const LOGIN_SCRIPT = String.raw`
document.getElementById('login').addEventListener('submit', function (e) {
  e.preventDefault();
  var error = document.getElementById('error');
  fetch('/ui/login', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: document.getElementById('key').value }) })
    .then(function (r) {
      if (r.ok) location.href = new URLSearchParams(location.search).get('next') || '/ui';
      else error.textContent = 'That is not the admin API key.';
    });
});`;

/** Only paths on this server: a login never sends the browser elsewhere. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?!\/)/.test(next) ? next : '/ui');

/**
 * The event log for people: pick an environment and a source, watch events arrive, open one's trace, try the
 * mappings on a payload. Server-rendered; its script uses the REST API with the browser's session, which the
 * admin key opens once per browser session.
 */
@ApiExcludeController()
@Public()
@Controller('ui')
export class UiController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Header('content-type', 'text/html; charset=utf-8')
  login(@Query('next') next?: string) {
    return page(
      'Sign in',
      `<main>
<h1>Signalbox</h1>
<form id="login" action="/ui/login?next=${encodeURIComponent(safeNext(next))}">
  <label for="key">Admin API key</label>
  <p><input id="key" name="key" type="password" autocomplete="current-password" required size="40" autofocus>
  <button type="submit">Open</button></p>
  <p id="error" role="alert"></p>
</form>
<p class="muted">The key is <code>ADMIN_API_KEY</code>, or the one printed at the first start (kept in <code>${escapeHtml(this.config.DATA_DIR)}/admin-api-key</code>). It opens this browser session only.</p>
</main>`,
      '/ui/login.js',
    );
  }

  /** The pages' scripts are files, not inline, so the Content-Security-Policy can forbid inline script. */
  @Get('login.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  loginScript() {
    return LOGIN_SCRIPT;
  }

  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  appScript() {
    return UI_SCRIPT;
  }

  /** Exchanges the admin key for a session cookie (HttpOnly, same site only, gone when the browser closes). */
  @Post('login')
  @HttpCode(204)
  signIn(@Body() body: { key?: unknown }, @Res({ passthrough: true }) reply: FastifyReply) {
    const key = this.config.ADMIN_API_KEY!;
    if (typeof body?.key !== 'string' || !constantTimeEqual(body.key, key)) {
      throw new UnauthorizedError('the API key is not valid');
    }
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${sessionValue(key)}; Path=/; HttpOnly; SameSite=Strict`,
    );
  }

  @Post('logout')
  @HttpCode(204)
  signOut(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
  }

  @Get()
  async home(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('environment') environmentSlug?: string,
    @Query('source') sourceKey?: string,
  ) {
    if (checkAdmin(request.headers, this.config.ADMIN_API_KEY!) !== 'ok') {
      return reply.redirect(`/ui/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    const environments = await this.db.manager.find(Environment, { order: { createdAt: 'ASC' } });
    const sources = await this.db.manager.find(Source, { order: { createdAt: 'ASC' } });
    const environment = environments.find((e) => e.slug === environmentSlug) ?? environments[0];
    const source = sources.find((s) => s.key === sourceKey) ?? sources[0];
    const settings =
      environment && source
        ? await this.db.manager.findOneBy(SourceEnvironment, {
            sourceId: source.id,
            environmentId: environment.id,
          })
        : null;
    const options = <T>(items: T[], value: (item: T) => string, label: (item: T) => string, chosen?: T) =>
      items
        .map((item) => {
          const selected = item === chosen ? ' selected' : '';
          return `<option value="${escapeHtml(value(item))}"${selected}>${escapeHtml(label(item))}</option>`;
        })
        .join('');
    const base =
      settings && source && environment
        ? `/v1/sources/${encodeURIComponent(source.key)}/environments/${encodeURIComponent(environment.slug)}`
        : '';
    const ingestionUrl = settings ? `${this.config.publicUrl}/integrations/receive/${settings.token}` : '';

    const body = `<header><h1>Signalbox</h1><span class="muted">event log</span></header>
<main id="app" data-events-url="${escapeHtml(base && `${base}/events`)}" data-test-url="${escapeHtml(base && `${base}/mappings/test`)}">
<form class="pick" method="get" action="/ui">
  <label>Environment <select name="environment">${options(
    environments,
    (e) => e.slug,
    (e) => e.name,
    environment,
  )}</select></label>
  <label>Source <select name="source">${options(
    sources,
    (s) => s.key,
    (s) => `${s.name} (${s.type})`,
    source,
  )}</select></label>
  <button type="submit">Show</button>
</form>
${
  settings
    ? `<h2>Ingestion URL</h2>
<p class="url"><code id="ingestion-url">${escapeHtml(ingestionUrl)}</code> <button type="button" id="copy">Copy</button></p>
<div class="cols">
<section aria-labelledby="events-title">
  <h2 id="events-title">Recent events</h2>
  <table><thead><tr><th scope="col">Status</th><th scope="col">Event type</th><th scope="col">Received</th><th scope="col">Duplicates</th></tr></thead>
  <tbody id="events" aria-live="polite"></tbody></table>
  <h2>Test the mappings</h2>
  <form id="test-form">
    <label for="test-payload">Payload (JSON, as PostHog sends it)</label>
    <textarea id="test-payload" rows="8" style="width:100%">{"event": "user_signed_up", "userId": "user_1", "properties": {"email": "ada@example.com"}}</textarea>
    <p><button type="submit">Dry run</button> <span class="muted">Nothing is stored or run.</span></p>
  </form>
  <pre id="test-result" aria-live="polite"></pre>
</section>
<section id="trace" aria-live="polite" aria-label="Event trace"><p class="muted">Select an event to see its whole trace.</p></section>
</div>`
    : '<p>Create a source first (<code>POST /v1/sources</code>); its events will show here.</p>'
}
</main>`;
    return reply.header('content-type', 'text/html; charset=utf-8').send(page('Events', body, '/ui/app.js'));
  }
}

import {
  describeRequest,
  describeResponse,
  judgeStatus,
  renderRequest,
  retryDelaySeconds,
  StepInputError,
} from './http-step';
import { HttpStep } from './workflow-steps';

const scope = {
  recipient: { id: 'user 1', name: 'Ada "the first"', email: 'ada@example.com', properties: { plan: 'pro' } },
  data: { count: 3, host: 'hooks.example.com', list: ['a', 'b'] },
};
const step = (more: Partial<HttpStep>): HttpStep => ({
  type: 'http',
  method: 'POST',
  url: 'https://hooks.example.com/x',
  ...more,
});

describe('renderRequest', () => {
  it('renders url, header values and every string of a JSON body', () => {
    const request = renderRequest(
      step({
        url: 'https://{{ data.host }}/users/{{ recipient.id | url_encode }}',
        headers: { Authorization: 'Bearer {{ recipient.properties.plan }}-token' },
        body: {
          text: 'Hi {{ recipient.name }}',
          count: 3,
          tags: ['{{ data.list | join: "," }}'],
          nested: { ok: true },
        },
      }),
      scope,
      'run-1/steps.0',
    );
    expect(request.url.href).toBe('https://hooks.example.com/users/user+1');
    expect(request.headers).toEqual({
      'user-agent': 'Signalbox',
      'idempotency-key': 'run-1/steps.0',
      'content-type': 'application/json',
      authorization: 'Bearer pro-token',
    });
    // Quotes in data stay inside their JSON string.
    expect(JSON.parse(request.body!)).toEqual({
      text: 'Hi Ada "the first"',
      count: 3,
      tags: ['a,b'],
      nested: { ok: true },
    });
  });

  it('sends a string body as text, and no body when there is none', () => {
    const text = renderRequest(step({ body: '{{ recipient.email }} signed up' }), scope, 'k');
    expect(text.body).toBe('ada@example.com signed up');
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    const none = renderRequest(step({ method: 'GET' }), scope, 'k');
    expect(none.body).toBeUndefined();
    expect(none.headers['content-type']).toBeUndefined();
  });

  it("lets the step's own headers win, whatever their case", () => {
    const request = renderRequest(
      step({ body: {}, headers: { 'Idempotency-Key': 'mine', 'Content-Type': 'application/vnd.api+json' } }),
      scope,
      'k',
    );
    expect(request.headers['idempotency-key']).toBe('mine');
    expect(request.headers['content-type']).toBe('application/vnd.api+json');
  });

  it.each([
    ['{{ data.missing }}', 'url "" is not an absolute URL'],
    ['ftp://{{ data.host }}/x', 'url must be http or https, not ftp:'],
    ['http://169.254.169.254/{{ data.count }}', '169.254.169.254 is a link-local or metadata address'],
    ['http://metadata.google.internal/', 'metadata.google.internal is a link-local or metadata address'],
    ['https://x/{{ data.count | nofilter }}', /invalid template|undefined filter/],
  ])('refuses %s', (url, message) => {
    const attempt = () => renderRequest(step({ url }), scope, 'k');
    expect(attempt).toThrow(StepInputError);
    expect(attempt).toThrow(message);
  });
});

describe('describeRequest', () => {
  it("masks the step's header values but shows the ones Signalbox adds", () => {
    const s = step({ headers: { Authorization: 'Bearer secret' } });
    const described = describeRequest(s, renderRequest(s, scope, 'key-1'));
    expect(described.headers).toEqual({
      authorization: '********',
      'user-agent': 'Signalbox',
      'idempotency-key': 'key-1',
    });
    expect(JSON.stringify(described)).not.toContain('secret');
  });

  it('shows a JSON body as JSON and a text body as text', () => {
    const json = step({ body: { to: '{{ recipient.email }}' } });
    expect(describeRequest(json, renderRequest(json, scope, 'k')).body).toEqual({ to: 'ada@example.com' });
    const text = step({ body: 'to {{ recipient.email }}' });
    expect(describeRequest(text, renderRequest(text, scope, 'k')).body).toBe('to ada@example.com');
  });
});

describe('judgeStatus', () => {
  it.each([
    [200, 'succeeded'],
    [204, 'succeeded'],
    [301, 'failed'],
    [400, 'failed'],
    [404, 'failed'],
    [422, 'failed'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
  ])('%i → %s', (status, verdict) => expect(judgeStatus(status)).toBe(verdict));
});

describe('describeResponse', () => {
  const response = { status: 200, truncated: false, retryAfter: undefined };
  it('parses a complete JSON body', () =>
    expect(
      describeResponse({ ...response, body: '{"id":7}', contentType: 'application/json; charset=utf-8' }),
    ).toEqual({
      status: 200,
      body: { id: 7 },
    }));
  it('never records what Postgres cannot store: NUL characters and lone surrogates', () => {
    const json = { ...response, contentType: 'application/json' };
    expect(describeResponse({ ...json, body: '{"a":"x\\u0000y"}' }).body).toBe('{"a":"x\\u0000y"}');
    expect(describeResponse({ ...json, body: '{"a":"\\ud800"}' }).body).toBe('{"a":"\\ud800"}');
    expect(describeResponse({ ...json, body: '{"a":"\\ud83d\\ude00"}' }).body).toEqual({ a: '😀' });
    expect(describeResponse({ ...response, body: 'a\u0000b\ud800c😀', contentType: 'text/plain' }).body).toBe(
      'a\ufffdb\ufffdc😀',
    );
  });

  it('keeps text, broken JSON and cut bodies as text', () => {
    expect(describeResponse({ ...response, body: 'ok', contentType: 'text/plain' }).body).toBe('ok');
    expect(describeResponse({ ...response, body: '{"id"', contentType: 'application/json' }).body).toBe(
      '{"id"',
    );
    expect(
      describeResponse({ ...response, body: '{"id":7', truncated: true, contentType: 'application/json' }),
    ).toEqual({
      status: 200,
      body: '{"id":7',
      truncated: true,
    });
  });
});

describe('retryDelaySeconds', () => {
  it('doubles from the base', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelaySeconds(attempt, 5))).toEqual([5, 10, 20, 40]);
  });
  it('waits longer when Retry-After asks, in seconds or as a date, up to an hour', () => {
    expect(retryDelaySeconds(1, 5, '30')).toBe(30);
    expect(retryDelaySeconds(1, 5, '2')).toBe(5);
    expect(retryDelaySeconds(1, 5, new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThanOrEqual(59);
    expect(retryDelaySeconds(1, 5, '999999')).toBe(3600);
    expect(retryDelaySeconds(1, 5, 'soon')).toBe(5);
  });
});

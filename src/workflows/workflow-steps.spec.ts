import { isMetadataUrl, parseDuration, Step, stepsProblems } from './workflow-steps';
import { maskHeaders, MASK, restoreHeaders } from './workflow-secrets';

describe('parseDuration', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['2h', 7200],
    ['3d', 259200],
    [90, 90],
    ['90d', 90 * 86400],
  ])('%j → %i seconds', (value, seconds) => {
    expect(parseDuration(value)).toBe(seconds);
  });

  it.each(['', '5', '5w', '1.5h', '-5m', ' 5m', '91d', 0, -1, 1.5, null, {}])('refuses %j', (value) => {
    expect(parseDuration(value)).toBeNull();
  });
});

describe('isMetadataUrl', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', true],
    ['http://metadata.google.internal/computeMetadata/v1/', true],
    ['http://[fe80::1]/', true],
    ['https://hooks.slack.com/services/T0/B0/x', false],
    ['http://10.0.0.5/', false],
  ])('%s → %s', (url, expected) => {
    expect(isMetadataUrl(new URL(url))).toBe(expected);
  });
});

const onboarding: Step[] = [
  {
    type: 'http',
    ref: 'welcome',
    method: 'POST',
    url: 'https://hooks.example.com/{{ workflow.key }}',
    body: { text: 'Hi {{ recipient.name }}' },
  },
  { type: 'delay', duration: '2d' },
  {
    type: 'branch',
    conditions: [{ path: 'recipient.properties.plan', operator: 'equals', value: 'free' }],
    then: [
      {
        type: 'http',
        method: 'POST',
        url: 'https://crm.example.com/nudge',
        headers: { Authorization: 'Bearer s3cret' },
      },
    ],
    else: [{ type: 'update_user', properties: { onboarded: true, seen: '{{ run.id }}' } }],
  },
  { type: 'delay', until: 'data.trial_ends_at', continue_on_failure: true },
];

describe('stepsProblems', () => {
  it('accepts a complete workflow', () => {
    expect(stepsProblems(onboarding)).toEqual({});
  });

  it.each([
    [[], { steps: 'a workflow needs at least one step' }],
    ['x', { steps: 'must be a list of steps' }],
    [[42], { 'steps.0': 'each step is an object with a type' }],
    [[{ type: 'sleep' }], { 'steps.0.type': expect.stringContaining('type must be one of') }],
    [[{ type: 'delay' }], { 'steps.0': 'a delay step needs exactly one of duration or until' }],
    [
      [{ type: 'delay', duration: '5m', until: 'data.at' }],
      { 'steps.0': expect.stringContaining('exactly one') },
    ],
    [
      [{ type: 'delay', duration: '5 minutes' }],
      { 'steps.0.duration': expect.stringContaining('duration must be like') },
    ],
    [
      [{ type: 'delay', until: 'body.at' }],
      { 'steps.0.until': expect.stringContaining('must start with recipient') },
    ],
    [[{ type: 'delay', duration: '5m', url: 'x' }], { 'steps.0.url': 'a delay step has no url' }],
    [
      [{ type: 'delay', duration: '5m', ref: 'Bad Ref' }],
      { 'steps.0.ref': expect.stringContaining('ref must be') },
    ],
    [
      [
        { type: 'delay', duration: '5m', ref: 'wait' },
        { type: 'delay', duration: '5m', ref: 'wait' },
      ],
      { 'steps.1.ref': 'ref "wait" is used by another step' },
    ],
    [
      [{ type: 'http', method: 'TRACE', url: 'https://x.io' }],
      { 'steps.0.method': expect.stringContaining('method must be') },
    ],
    [[{ type: 'http', method: 'POST' }], { 'steps.0.url': 'url is required' }],
    [
      [{ type: 'http', method: 'POST', url: 'not a url' }],
      { 'steps.0.url': 'url must be an absolute http(s) URL' },
    ],
    [
      [{ type: 'http', method: 'POST', url: 'file:///etc/passwd' }],
      { 'steps.0.url': 'url must be http or https' },
    ],
    [
      [{ type: 'http', method: 'GET', url: 'http://169.254.169.254/latest' }],
      { 'steps.0.url': expect.stringContaining('metadata') },
    ],
    [
      [{ type: 'http', method: 'POST', url: 'https://x.io/{{ data.id ' }],
      { 'steps.0.url': expect.stringContaining('invalid template') },
    ],
    [
      [{ type: 'http', method: 'POST', url: 'https://x.io', headers: { 'Bad Header': 'x' } }],
      { 'steps.0.headers.Bad Header': 'not a valid header name' },
    ],
    [
      [{ type: 'http', method: 'POST', url: 'https://x.io', headers: { 'X-N': 1 } }],
      { 'steps.0.headers.X-N': 'header values are strings' },
    ],
    [
      [{ type: 'http', method: 'POST', url: 'https://x.io', body: { a: ['{{ x | nope }}'] } }],
      { 'steps.0.body.a.0': expect.stringContaining('invalid template') },
    ],
    [
      [{ type: 'http', method: 'POST', url: 'https://x.io', timeout_seconds: 120, retries: -1 }],
      { 'steps.0.timeout_seconds': expect.any(String), 'steps.0.retries': expect.any(String) },
    ],
    [[{ type: 'update_user', properties: ['x'] }], { 'steps.0.properties': 'properties must be an object' }],
    [
      [{ type: 'update_user', properties: { a: '{% if %}' } }],
      { 'steps.0.properties.a': expect.stringContaining('invalid template') },
    ],
    [
      [{ type: 'branch', conditions: [{ path: 'body.x', operator: 'exists' }], then: [] }],
      { 'steps.0.conditions.0.path': expect.stringContaining('must start with recipient') },
    ],
    [
      [{ type: 'branch', conditions: [], then: [{ type: 'delay' }] }],
      { 'steps.0.then.0': expect.stringContaining('exactly one') },
    ],
    [[{ type: 'branch', conditions: [], then: 'x' }], { 'steps.0.then': 'must be a list of steps' }],
    [
      [{ type: 'delay', duration: '5m', continue_on_failure: 'yes' }],
      { 'steps.0.continue_on_failure': expect.any(String) },
    ],
  ])('refuses %j', (steps, problems) => {
    expect(stepsProblems(steps)).toEqual(problems);
  });

  it('refuses a fixed URL outside the allowed hosts, and leaves templated ones to run time', () => {
    const call = (url: string) => [{ type: 'http', method: 'POST', url }];
    const allowed = ['hooks.slack.com', '*.example.com'];
    expect(stepsProblems(call('https://hooks.slack.com/x'), allowed)).toEqual({});
    expect(stepsProblems(call('https://api.example.com/x'), allowed)).toEqual({});
    expect(stepsProblems(call('https://evil.test/x'), allowed)).toEqual({
      'steps.0.url': 'evil.test is not in WORKFLOW_HTTP_ALLOWED_HOSTS',
    });
    expect(stepsProblems(call('https://{{ data.host }}/x'), allowed)).toEqual({});
    expect(stepsProblems(call('https://evil.test/x'))).toEqual({});
  });

  it('caps the number of steps and the nesting', () => {
    expect(stepsProblems(Array(51).fill({ type: 'delay', duration: '1s' }))).toEqual({
      steps: 'a workflow has at most 50 steps',
    });
    let nested: unknown = [{ type: 'delay', duration: '1s' }];
    for (let i = 0; i < 6; i++) nested = [{ type: 'branch', conditions: [], then: nested }];
    expect(Object.values(stepsProblems(nested))).toContain('branches nest at most 5 deep');
  });
});

describe('header secrets', () => {
  it('masks every header value, nested steps included, without touching the original', () => {
    const masked = maskHeaders(onboarding);
    expect(JSON.stringify(masked)).not.toContain('s3cret');
    expect((masked[2] as any).then[0].headers).toEqual({ Authorization: MASK });
    expect((onboarding[2] as any).then[0].headers).toEqual({ Authorization: 'Bearer s3cret' });
  });

  it('puts stored values back where the API was sent a mask, by ref or by place', () => {
    const previous: Step[] = [
      {
        type: 'http',
        ref: 'crm',
        method: 'POST',
        url: 'https://crm.io',
        headers: { Authorization: 'Bearer A' },
      },
      { type: 'http', method: 'POST', url: 'https://x.io', headers: { 'X-Key': 'K' } },
    ];
    const next: Step[] = [
      { type: 'delay', duration: '1m' },
      { type: 'http', method: 'POST', url: 'https://x.io', headers: { 'X-Key': MASK, 'X-New': 'N' } },
      { type: 'http', ref: 'crm', method: 'POST', url: 'https://crm.io', headers: { Authorization: MASK } },
    ];
    expect(restoreHeaders(next, previous)).toEqual({});
    expect((next[1] as any).headers).toEqual({ 'X-Key': 'K', 'X-New': 'N' });
    expect((next[2] as any).headers).toEqual({ Authorization: 'Bearer A' });
  });

  it('refuses a mask with nothing stored behind it', () => {
    const next: Step[] = [
      { type: 'http', method: 'POST', url: 'https://x.io', headers: { Authorization: MASK } },
    ];
    expect(restoreHeaders(next, null)).toEqual({
      'steps.0.headers.Authorization': 'masked, but no value is stored for it',
    });
  });
});

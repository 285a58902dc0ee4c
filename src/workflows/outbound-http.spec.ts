import { createServer, Server } from 'node:http';
import { LookupAddress } from 'node:dns';
import { AddressInfo } from 'node:net';
import {
  guardedLookup,
  isHostAllowed,
  isLinkLocalAddress,
  RefusedTargetError,
  RESPONSE_BODY_LIMIT,
  sendRequest,
} from './outbound-http';

describe('isLinkLocalAddress', () => {
  it.each([
    '169.254.169.254',
    '169.254.0.1',
    'fe80::1',
    '[fe80::abcd]',
    'febf::1',
    '::ffff:169.254.169.254',
    'fd00:ec2::254',
  ])('refuses %s', (address) => expect(isLinkLocalAddress(address)).toBe(true));
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '192.168.1.1',
    '169.255.0.1',
    '::1',
    'fec0::1',
    'example.com',
    '2001:db8::1',
  ])('allows %s', (address) => expect(isLinkLocalAddress(address)).toBe(false));
});

describe('isHostAllowed', () => {
  it('allows any host when the list is empty', () => expect(isHostAllowed('x.example.com', [])).toBe(true));
  it('matches exact names and *. suffixes', () => {
    const allowed = ['hooks.slack.com', '*.example.com'];
    expect(isHostAllowed('hooks.slack.com', allowed)).toBe(true);
    expect(isHostAllowed('HOOKS.slack.com', allowed)).toBe(true);
    expect(isHostAllowed('api.example.com', allowed)).toBe(true);
    expect(isHostAllowed('example.com', allowed)).toBe(false);
    expect(isHostAllowed('evilexample.com', allowed)).toBe(false);
    expect(isHostAllowed('slack.com', allowed)).toBe(false);
  });
});

describe('guardedLookup', () => {
  const resolvingTo =
    (address: string) =>
    (_host: string, _options: object, callback: (e: Error | null, a: LookupAddress[]) => void) =>
      callback(null, [
        { address: '10.0.0.5', family: 4 },
        { address, family: address.includes(':') ? 6 : 4 },
      ]);
  const lookUp = (address: string, all: boolean) =>
    new Promise((resolve, reject) =>
      guardedLookup(resolvingTo(address))('name.example', { all }, (error, found, family) =>
        error ? reject(error) : resolve({ found, family }),
      ),
    );

  it('refuses a name with any link-local address', async () => {
    await expect(lookUp('169.254.169.254', true)).rejects.toThrow(
      'name.example resolves to 169.254.169.254, a link-local address',
    );
    await expect(lookUp('fe80::1', false)).rejects.toBeInstanceOf(RefusedTargetError);
  });

  it('answers as the socket asked otherwise', async () => {
    await expect(lookUp('10.0.0.6', false)).resolves.toEqual({ found: '10.0.0.5', family: 4 });
    await expect(lookUp('10.0.0.6', true)).resolves.toMatchObject({
      found: [{ address: '10.0.0.5' }, { address: '10.0.0.6' }],
    });
  });
});

describe('sendRequest', () => {
  let server: Server;
  let base: string;
  const received: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/big') res.end('x'.repeat(RESPONSE_BODY_LIMIT * 3));
        else if (req.url === '/slow') setTimeout(() => res.end('late'), 3000).unref();
        else {
          res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7' });
          res.end('{"ok":true}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const send = (path: string, more: object = {}) =>
    sendRequest({
      method: 'POST',
      url: new URL(base + path),
      headers: { 'x-test': '1' },
      body: 'hello',
      timeoutMs: 2000,
      allowedHosts: [],
      ...more,
    });

  it('sends the request and reads the answer', async () => {
    const response = await send('/ok');
    expect(response).toMatchObject({
      status: 201,
      body: '{"ok":true}',
      truncated: false,
      contentType: 'application/json',
      retryAfter: '7',
    });
    expect(received.at(-1)).toMatchObject({ method: 'POST', body: 'hello', headers: { 'x-test': '1' } });
  });

  it('keeps only the first bytes of a large answer', async () => {
    const response = await send('/big');
    expect(response.body).toHaveLength(RESPONSE_BODY_LIMIT);
    expect(response.truncated).toBe(true);
  });

  it('gives up after the timeout', async () => {
    await expect(send('/slow', { timeoutMs: 200 })).rejects.toThrow('no complete answer within 0.2 s');
  });

  it('refuses link-local addresses', async () => {
    const count = received.length;
    await expect(
      send('', { url: new URL('http://169.254.169.254/latest/meta-data') }),
    ).rejects.toBeInstanceOf(RefusedTargetError);
    await expect(send('', { url: new URL('http://[fe80::1]/') })).rejects.toBeInstanceOf(RefusedTargetError);
    // A decimal address is normalised by the URL parser before the check.
    await expect(send('', { url: new URL('http://2852039166/') })).rejects.toBeInstanceOf(RefusedTargetError);
    expect(received.length).toBe(count);
  });

  it('refuses hosts outside the allow-list', async () => {
    await expect(send('/ok', { allowedHosts: ['hooks.example.com'] })).rejects.toThrow(
      '127.0.0.1 is not in WORKFLOW_HTTP_ALLOWED_HOSTS',
    );
    await expect(send('/ok', { allowedHosts: ['127.0.0.1'] })).resolves.toMatchObject({ status: 201 });
  });

  it('refuses other protocols', async () => {
    await expect(send('', { url: new URL('file:///etc/passwd') })).rejects.toBeInstanceOf(RefusedTargetError);
  });

  it('reports a refused connection as a network error', async () => {
    await expect(send('', { url: new URL('http://127.0.0.1:1/') })).rejects.toThrow(/ECONNREFUSED/);
  });
});

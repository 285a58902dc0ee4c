import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface SinkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed when it is JSON. */
  body: unknown;
  /** Date.now() when the request arrived. */
  at: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long (a slow target). */
  delayMs?: number;
}

/** A local HTTP server standing in for the targets of workflow http steps: it records what it receives. */
export class Sink {
  readonly requests: SinkRequest[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // keep the text
        }
        const path = req.url ?? '/';
        this.requests.push({ method: req.method ?? '', path, headers: req.headers, body, at: Date.now() });
        const answer = this.scripts.get(path)?.shift() ?? { status: 200, body: { ok: true, path } };
        const send = () => {
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(JSON.stringify(answer.body ?? { status: answer.status }));
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
        else send();
      });
    });
    await new Promise<void>((ready) => this.server.listen(0, '127.0.0.1', ready));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next requests to `path` get these answers, in order; later ones get 200. */
  script(path: string, ...answers: Answer[]): void {
    this.scripts.set(path, answers);
  }

  received(path: string): SinkRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}

/**
 * The baseline of the live-updates bench: a bare node:http SSE broadcast, no framework, no
 * read models. `GET /sse` subscribes; `POST /publish?bytes=N&id=P` answers 200 (the "ack"),
 * then writes one frame of N bytes with id P to every subscriber. Run as a child process so its
 * memory is its own; prints its port on stdout.
 */
import { createServer, type ServerResponse } from 'node:http';

const subscribers = new Set<ServerResponse>();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/sse') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    subscribers.add(res);
    res.on('close', () => subscribers.delete(res));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/publish') {
    const bytes = Number(url.searchParams.get('bytes') ?? 1000);
    const id = url.searchParams.get('id') ?? '0';
    req.resume();
    req.on('end', () => {
      res.end('ok');
      const frame = `id: ${id}\nevent: update\ndata: {"position":${id},"pad":"${'x'.repeat(Math.max(0, bytes - 60))}"}\n\n`;
      for (const subscriber of subscribers) subscriber.write(frame);
    });
    return;
  }
  res.writeHead(404).end();
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { Client } from 'pg';
import { waitUntil } from './postgres';

/**
 * Cuts every connection to one database, as a failover, a server restart or an idle-connection
 * reaper does, without touching the server or any other database: terminates the database's
 * backends from `admin` (a connection to another database) and waits until they have exited.
 * Resolves with how many were terminated.
 */
export async function terminateBackends(admin: Client, database: string): Promise<number> {
  // listed first, terminated by pid: a pg_terminate_backend in the WHERE of the same query may be
  // called by the planner before the filter on the database, on every backend of the server
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [database],
  );
  const pids = rows.map((row) => row.pid);
  await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  await waitUntil('the terminated backends have exited', async () => {
    const left = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids]);
    return left.rowCount === 0;
  });
  return pids.length;
}

export interface CuttableProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  readonly url: (databaseUrl: string) => string;
  /** Drops every connection through the proxy and refuses new ones: the server is unreachable. */
  cutOff(): void;
  /** Takes connections again. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of PostgreSQL, to make the server unreachable for a while (as during a
 * failover or a network partition) without stopping it, which the machine's other users need.
 */
export async function startCuttableProxy(databaseUrl: string): Promise<CuttableProxy> {
  const target = new URL(databaseUrl);
  const sockets = new Set<Socket>();
  let refusing = false;
  const server = createServer((downstream) => {
    if (refusing) {
      downstream.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [downstream, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined); // a cut: the other side is destroyed with it
      socket.on('close', () => {
        sockets.delete(socket);
        downstream.destroy();
        upstream.destroy();
      });
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: (url) => {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(port);
      return proxied.toString();
    },
    cutOff: () => {
      refusing = true;
      dropAll();
    },
    restore: () => {
      refusing = false;
    },
    close: () => {
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import type { Logger } from "pino";

export interface ServerOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Whether the database answers; /healthz turns 503 when it does not. */
  ping(): Promise<boolean>;
  /** Channels add their routes (webhooks, the sandbox page). */
  mount: Array<(app: Hono) => void>;
}

export interface HttpServer {
  app: Hono;
  port: number;
  close(): Promise<void>;
}

export function createApp(options: Pick<ServerOptions, "ping" | "mount" | "logger">): Hono {
  const app = new Hono();
  app.get("/healthz", async (c) => {
    const database = await options.ping();
    return c.json({ ok: database, database: database ? "up" : "down" }, database ? 200 : 503);
  });
  for (const mount of options.mount) mount(app);
  app.onError((error, c) => {
    options.logger.error({ err: error, path: c.req.path }, "http request failed");
    return c.json({ error: "internal" }, 500);
  });
  return app;
}

export async function startServer(options: ServerOptions): Promise<HttpServer> {
  const app = createApp(options);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    app,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold shutdown open; the sandbox page polls.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

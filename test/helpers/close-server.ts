import type { Server } from "node:http";

/**
 * Stops a fake platform's HTTP server: idle keep-alive connections at once, and any still busy
 * (a long poll the client has not given up) after half a second, so a test's teardown never
 * waits on a socket the client forgot.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 500);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Optional Prometheus endpoint of the stream job (`--metrics-port`): GET /metrics answers the process's
 * counters (pipelines/metrics.ts). Under LOOPBACK every TypeScript DoFn runs in this process, so the
 * figures are the job's. Listens on 127.0.0.1 only, and answers only requests with the bearer token
 * (401 otherwise): the counters name topics and volumes, and any local process could read them.
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { isAuthorized, Token } from "../infra/bearer-token";
import { prometheusText } from "./metrics";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(
  port: number,
  token: Token,
  host = "127.0.0.1",
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (!isAuthorized(req.headers.authorization, token)) {
      res.writeHead(401, {
        "content-type": "application/json",
        "www-authenticate": 'Bearer realm="phonepipe-metrics"',
      });
      res.end(
        JSON.stringify({
          error: "missing or wrong bearer token: send Authorization: Bearer <token> (docs/security.md)",
        }),
      );
    } else if (req.method === "GET" && (req.url === "/metrics" || req.url?.startsWith("/metrics?"))) {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      res.end(prometheusText());
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("only GET /metrics is served here\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new Error(`metrics port ${port} on ${host} is already in use (choose another --metrics-port)`)
          : err,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

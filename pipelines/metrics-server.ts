/**
 * Optional Prometheus endpoint of the stream job (`--metrics-port`): GET /metrics answers the process's
 * counters (pipelines/metrics.ts). Under LOOPBACK every TypeScript DoFn runs in this process, so the
 * figures are the job's. Listens on 127.0.0.1 only.
 */
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { prometheusText } from "./metrics";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(port: number, host = "127.0.0.1"): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && (req.url === "/metrics" || req.url?.startsWith("/metrics?"))) {
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

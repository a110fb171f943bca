/** Ports for the services phonepipe starts, chosen by the kernel on loopback. */
import { createServer } from "node:net";

/** `n` distinct free ports on 127.0.0.1: every listener is held open until all are chosen. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (srv) =>
          new Promise<number>((resolve, reject) => {
            srv.once("error", reject);
            srv.listen(0, "127.0.0.1", () => {
              const addr = srv.address();
              resolve(typeof addr === "object" && addr ? addr.port : 0);
            });
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((srv) => new Promise((resolve) => srv.close(resolve))));
  }
}

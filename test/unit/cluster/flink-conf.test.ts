import assert from "node:assert/strict";
import { loadClusterConfig } from "../../../infra/cluster/config";
import {
  flinkConfYaml,
  flinkJvmMemoryArgs,
  JOBMANAGER_PROCESS_MB,
  TASKMANAGER_PROCESS_MB,
} from "../../../infra/cluster/flink";
import { loadConfig } from "../../../infra/config";

function parse(yaml: string): Record<string, string> {
  return Object.fromEntries(
    yaml
      .trim()
      .split("\n")
      .map((l) => {
        const i = l.indexOf(": ");
        return [l.slice(0, i), l.slice(i + 2)];
      }),
  );
}

describe("Flink session cluster configuration", () => {
  const cc = loadClusterConfig(loadConfig({ PHONEPIPE_ROOT: "/repo" }), {
    PHONEPIPE_CLUSTER_PORT_BASE: "23000",
  });

  it("binds the JobManager to 127.0.0.1 on the profile's fixed ports", () => {
    const c = parse(flinkConfYaml(cc, { kind: "jobmanager" }, "/tmp/jm"));
    assert.equal(c["jobmanager.rpc.address"], "127.0.0.1");
    assert.equal(c["jobmanager.bind-host"], "127.0.0.1");
    assert.equal(c["rest.bind-address"], "127.0.0.1");
    assert.deepEqual(
      [c["rest.port"], c["jobmanager.rpc.port"], c["blob.server.port"]],
      ["23381", "23323", "23324"],
    );
    assert.equal(c["jobmanager.memory.process.size"], `${JOBMANAGER_PROCESS_MB}m`);
    assert.equal(c["io.tmp.dirs"], "/tmp/jm");
  });

  it("gives each TaskManager its own ports, name and explicit memory that adds up to its process size", () => {
    const tms = [0, 1].map((index) => parse(flinkConfYaml(cc, { kind: "taskmanager", index }, "/tmp/tm")));
    assert.deepEqual(
      tms.map((c) => [c["taskmanager.resource-id"], c["taskmanager.rpc.port"], c["taskmanager.data.port"]]),
      [
        ["taskmanager-1", "23330", "23340"],
        ["taskmanager-2", "23331", "23341"],
      ],
    );
    for (const c of tms) {
      assert.equal(c["taskmanager.host"], "127.0.0.1");
      assert.equal(c["taskmanager.numberOfTaskSlots"], "2");
      assert.equal(c["jobmanager.rpc.port"], "23323");
      const mb = (k: string) => Number(c[`taskmanager.memory.${k}`].replace(/m$/, ""));
      const parts = [
        "framework.heap.size",
        "task.heap.size",
        "framework.off-heap.size",
        "task.off-heap.size",
      ];
      const total =
        parts.reduce((s, k) => s + mb(k), 0) +
        mb("managed.size") +
        mb("network.max") +
        mb("jvm-metaspace.size") +
        mb("jvm-overhead.max");
      assert.equal(total, TASKMANAGER_PROCESS_MB);
      assert.equal(c["taskmanager.memory.process.size"], `${TASKMANAGER_PROCESS_MB}m`);
    }
  });

  it("sizes the JVMs as Flink's start scripts would: heap = framework + task heap, direct = off-heap + network", () => {
    assert.deepEqual(flinkJvmMemoryArgs({ kind: "taskmanager", index: 0 }), [
      "-Xms640m",
      "-Xmx640m",
      "-XX:MaxDirectMemorySize=256m",
      "-XX:MaxMetaspaceSize=256m",
    ]);
    assert.equal(JOBMANAGER_PROCESS_MB, 768);
    assert.equal(TASKMANAGER_PROCESS_MB, 1600);
  });
});

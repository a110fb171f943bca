/**
 * The Spark standalone cluster's pure parts: the master's and worker's command lines and environment, reading
 * the master's `/json/`, and what a backfill's job server gets for a spark:// master.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../../infra/config";
import { loadClusterConfig } from "../../../infra/cluster/config";
import {
  parseMasterState,
  sparkDaemonEnv,
  SparkLayout,
  sparkMasterArgs,
  sparkMasterUrl,
  sparkWorkerArgs,
  workerRegistered,
} from "../../../infra/cluster/spark";
import { JDK17_OPENS } from "../../../pipelines/services";
import {
  parseSparkMaster,
  sparkMasterFrom,
  sparkPipelineOptions,
  standaloneDriverJvmArgs,
} from "../../../pipelines/spark-standalone";

const cc = loadClusterConfig(loadConfig({ PHONEPIPE_ROOT: "/repo" }), {
  PHONEPIPE_CLUSTER_PORT_BASE: "26000",
});
const layout: SparkLayout = {
  home: "/run/cluster/spark-home",
  jarsTarget: "/cache/beam-2.49.0/spark-3-job-server",
  workDir: "/run/cluster/spark-work",
  classpath: "/cache/patch.jar:/cache/beam-2.49.0/spark-3-job-server/*",
};

/** The value after `flag` in an argument list. */
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe("Spark standalone cluster", () => {
  it("runs the master on 127.0.0.1 at the profile's ports, with a small heap and the Java 17 opens", () => {
    const args = sparkMasterArgs(cc, layout);
    assert.equal(after(args, "-cp"), layout.classpath);
    assert.ok(args.includes("-Xmx256m"));
    for (const open of JDK17_OPENS) assert.ok(args.includes(open), open);
    assert.equal(after(args, "org.apache.spark.deploy.master.Master"), "--host");
    assert.equal(after(args, "--host"), "127.0.0.1");
    assert.equal(after(args, "--port"), "26477");
    assert.equal(after(args, "--webui-port"), "26478");
    assert.equal(sparkMasterUrl(cc), "spark://127.0.0.1:26477");
  });

  it("registers the worker with the master, offering 2 cores and 1536m for executors", () => {
    const args = sparkWorkerArgs(cc, layout);
    assert.ok(args.includes("-Xmx256m"));
    assert.ok(args.includes("org.apache.spark.deploy.worker.Worker"));
    assert.equal(after(args, "--host"), "127.0.0.1");
    assert.equal(after(args, "--port"), "26479");
    assert.equal(after(args, "--webui-port"), "26480");
    assert.equal(after(args, "--cores"), "2");
    assert.equal(after(args, "--memory"), "1536m");
    assert.equal(after(args, "--work-dir"), layout.workDir);
    assert.equal(args[args.length - 1], "spark://127.0.0.1:26477");
  });

  it("gives both daemons (and so the executors) the generated SPARK_HOME and 127.0.0.1", () => {
    const env = sparkDaemonEnv(layout, { PATH: "/bin", SPARK_LOCAL_IP: "0.0.0.0" });
    assert.equal(env.PATH, "/bin");
    assert.equal(env.SPARK_HOME, layout.home);
    assert.equal(env.SPARK_LOCAL_IP, "127.0.0.1");
    assert.equal(env.SPARK_SCALA_VERSION, "2.12");
  });

  it("reads the master's /json/ and finds the worker alive with all its cores", () => {
    const json = {
      url: "spark://127.0.0.1:26477",
      status: "ALIVE",
      workers: [
        { id: "worker-1", host: "127.0.0.1", port: 26479, state: "DEAD", cores: 2 },
        { id: "worker-2", host: "127.0.0.1", port: 26479, state: "ALIVE", cores: 2 },
      ],
      activeapps: [{ id: "app-2", name: "phonepipe-backfill-x", state: "RUNNING", cores: 0 }],
      completedapps: [{ id: "app-1", name: "phonepipe-backfill-x", state: "FINISHED", cores: 2 }],
    };
    const state = parseMasterState(json);
    assert.equal(state.status, "ALIVE");
    assert.deepEqual(
      state.workers.map((w) => w.state),
      ["DEAD", "ALIVE"],
    );
    assert.deepEqual(state.activeApps, [
      { id: "app-2", name: "phonepipe-backfill-x", state: "RUNNING", cores: 0 },
    ]);
    assert.equal(state.completedApps[0].state, "FINISHED");
    assert.equal(workerRegistered(state, cc), true);
    assert.equal(workerRegistered(parseMasterState({ ...json, workers: [json.workers[0]] }), cc), false);
    assert.equal(workerRegistered(parseMasterState({ status: "ALIVE" }), cc), false);
    assert.equal(workerRegistered(undefined, cc), false);
  });
});

describe("a backfill's Spark master", () => {
  it("is --spark-master-url, else PHONEPIPE_SPARK_MASTER_URL, else local[2]", () => {
    assert.equal(sparkMasterFrom("local[4]", { PHONEPIPE_SPARK_MASTER_URL: "spark://h:7077" }), "local[4]");
    assert.equal(
      sparkMasterFrom(undefined, { PHONEPIPE_SPARK_MASTER_URL: "spark://h:7077" }),
      "spark://h:7077",
    );
    assert.equal(sparkMasterFrom(undefined, { PHONEPIPE_SPARK_MASTER_URL: "" }), "local[2]");
    assert.equal(sparkMasterFrom(undefined, {}), "local[2]");
  });

  it("accepts local[N] and spark://host:port and names anything else", () => {
    assert.deepEqual(parseSparkMaster("local[2]"), { kind: "local" });
    assert.deepEqual(parseSparkMaster("local[*]"), { kind: "local" });
    assert.deepEqual(parseSparkMaster("spark://127.0.0.1:26477"), {
      kind: "standalone",
      host: "127.0.0.1",
      port: 26477,
      url: "spark://127.0.0.1:26477",
    });
    for (const bad of ["spark://host", "yarn", "spark://h:0", "spark://a:1,b:2", "local[two]"]) {
      assert.throws(() => parseSparkMaster(bad), new RegExp(`'${bad.replace(/[[\]*]/g, "\\$&")}' is not`));
    }
  });

  it("gives the job server executor settings only for a standalone master, binding 127.0.0.1 for a local one", () => {
    assert.deepEqual(standaloneDriverJvmArgs(parseSparkMaster("local[2]"), "/p.jar"), []);
    const local = standaloneDriverJvmArgs(parseSparkMaster("spark://127.0.0.1:26477"), "/p.jar");
    assert.ok(local.includes("-Dspark.executor.memory=1g"));
    assert.ok(local.includes("-Dspark.executor.extraClassPath=/p.jar"));
    assert.ok(local.includes(`-Dspark.executor.extraJavaOptions=${JDK17_OPENS.join(" ")}`));
    assert.ok(local.includes("-Dspark.driver.host=127.0.0.1"));
    const remote = standaloneDriverJvmArgs(parseSparkMaster("spark://master.example:7077"), "/p.jar");
    assert.ok(remote.includes("-Dspark.executor.memory=1g"));
    assert.ok(!remote.some((a) => a.startsWith("-Dspark.driver.host")));
  });

  it("stages only the patch jar to the cluster profile's master, Beam's whole classpath elsewhere", () => {
    assert.deepEqual(sparkPipelineOptions(parseSparkMaster("spark://127.0.0.1:26477"), "/p.jar"), {
      filesToStage: ["/p.jar"],
    });
    assert.deepEqual(sparkPipelineOptions(parseSparkMaster("spark://master.example:7077"), "/p.jar"), {});
    assert.deepEqual(sparkPipelineOptions(parseSparkMaster("local[2]"), "/p.jar"), {});
  });
});

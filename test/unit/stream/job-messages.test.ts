import assert from "node:assert/strict";
import { failureSummary } from "../../../pipelines/job-messages";

describe("a failed job's reason", () => {
  it("is the SDK worker's error line when the harness reported one", () => {
    const text = [
      "java.lang.RuntimeException: Error received from SDK harness for instruction 7:",
      "Error handling instruction: Error: writing landing file /d/landing/t/part-0.parquet failed: no space left",
      "    at writeParquet (io-worker.js:120)",
    ].join("\n");
    assert.equal(
      failureSummary(text),
      "Error: writing landing file /d/landing/t/part-0.parquet failed: no space left",
    );
  });

  it("is the deepest cause of a Java stack trace otherwise", () => {
    const text = [
      "org.apache.flink.runtime.client.JobExecutionException: Job execution failed.",
      "\tat org.apache.flink.runtime.jobmaster.JobResult.toJobExecutionResult(JobResult.java:144)",
      "Caused by: org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy",
      "Caused by: java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id 127.0.0.1:28330-1 timed out.",
    ].join("\n");
    assert.equal(
      failureSummary(text),
      "java.util.concurrent.TimeoutException: Heartbeat of TaskManager with id 127.0.0.1:28330-1 timed out.",
    );
  });
});

import { runPage } from "../../loaders/page.ts";
import {
  deadLetters,
  landingFreshness,
  lastDbtBuild,
  lastQualityReport,
  publishedMarker,
} from "../../loaders/pipeline-files.ts";
import { pipelineQueries } from "../../loaders/queries/pipeline.ts";

await runPage("Pipeline health", pipelineQueries, () => ({
  landing: landingFreshness(Date.now()),
  dbt: lastDbtBuild(),
  quality: lastQualityReport(),
  dead_letters: deadLetters(),
  published: publishedMarker(),
}));

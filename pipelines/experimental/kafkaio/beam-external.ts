/**
 * The Beam SDK entry points only the KafkaIO source needs (cross-language transforms and the schema protos
 * of their configuration), loaded the way pipelines/beam-sdk.ts loads the others: values from the runtime
 * subpaths, types from the shipped .d.ts files.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
// The package entry and the SDK patches first: the subpath modules have import cycles that resolve in this order.
import "../../beam-sdk";

type ExternalModule =
  typeof import("../../../node_modules/apache-beam/dist/src/apache_beam/transforms/external");
type ExternalTransformsProto =
  typeof import("../../../node_modules/apache-beam/dist/src/apache_beam/proto/external_transforms");
type SchemaProto = typeof import("../../../node_modules/apache-beam/dist/src/apache_beam/proto/schema");

export const { rawExternalTransform } = require("apache-beam/transforms/external") as ExternalModule;
export const { ExternalConfigurationPayload } =
  require("apache-beam/proto/external_transforms") as ExternalTransformsProto;
export const { AtomicType } = require("apache-beam/proto/schema") as SchemaProto;
export type SchemaField =
  import("../../../node_modules/apache-beam/dist/src/apache_beam/proto/org/apache/beam/model/pipeline/v1/schema").Field;
export type SchemaFieldType =
  import("../../../node_modules/apache-beam/dist/src/apache_beam/proto/org/apache/beam/model/pipeline/v1/schema").FieldType;

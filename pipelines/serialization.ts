/**
 * Registers every module whose functions the stream job's DoFns call, so ts-serialize-closures sends them
 * by name (and the worker resolves them locally) instead of trying to serialize their code. The SDK registers
 * only the values passed in: `requireForSerialization(name)` alone registers nothing (apache-beam 2.49.0).
 */
import Long from "long";
import { requireForSerialization } from "./beam-sdk";
import * as ioSync from "./io-sync";
import * as schemaCache from "./schema-cache";
import * as metrics from "./metrics";
import * as stageTimes from "./stage-times";
import * as listingHook from "../transforms/stream/listing-hook";
import * as dedupe from "../transforms/stream/dedupe";
import * as landing from "../transforms/stream/landing";
import * as records from "../transforms/stream/records";
import * as topicRecords from "../transforms/stream/topic-records";
import * as deadLetter from "../transforms/stream/dead-letter";
import * as offsetReads from "../transforms/stream/offset-reads";
import * as windowShards from "../transforms/stream/window-shards";

requireForSerialization("long", { Long });
requireForSerialization(require.resolve("./io-sync"), ioSync);
requireForSerialization(require.resolve("./schema-cache"), schemaCache);
requireForSerialization(require.resolve("./metrics"), metrics);
requireForSerialization(require.resolve("./stage-times"), stageTimes);
requireForSerialization(require.resolve("../transforms/stream/listing-hook"), listingHook);
requireForSerialization(require.resolve("../transforms/stream/dedupe"), dedupe);
requireForSerialization(require.resolve("../transforms/stream/landing"), landing);
requireForSerialization(require.resolve("../transforms/stream/records"), records);
requireForSerialization(require.resolve("../transforms/stream/topic-records"), topicRecords);
requireForSerialization(require.resolve("../transforms/stream/dead-letter"), deadLetter);
requireForSerialization(require.resolve("../transforms/stream/offset-reads"), offsetReads);
requireForSerialization(require.resolve("../transforms/stream/window-shards"), windowShards);
// Globals the DoFns touch.
requireForSerialization("phonepipe:globals", { JSON, Date, Number, String, Math, performance });

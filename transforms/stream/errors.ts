/** A record that is schema-valid (or at least decodable) but wrong for the business: goes to the DLQ. */
export class StageError extends Error {
  constructor(
    readonly stage: "decode" | "validate" | "normalize",
    message: string,
    readonly errorType: string,
  ) {
    super(message);
    this.name = "StageError";
  }
}

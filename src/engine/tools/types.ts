/** What every tool returns: encoded bytes plus the facts the asset row needs. */
export type ToolOutput = {
  data: Buffer;
  mime: string;
  ext: string;
  width: number;
  height: number;
  /** Facts for the job result, e.g. { focus: "subject", faceFound: false }. */
  meta?: Record<string, unknown>;
};

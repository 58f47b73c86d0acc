import { describe, expect, it } from "vitest";
import { imageTools } from "@/engine/image-ops";
import { runPipeline, type PipelineStep } from "@/engine/pipeline";
import { sharp } from "@/engine/sharp";
import { AppError } from "@/server/errors";
import { capabilities } from "../capabilities";
import { createDirectory } from "../directory";
import { localAdapter, localTools } from "./index";

const directory = createDirectory([{ adapter: localAdapter, config: {}, enabled: true }]);
const image = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: "#808080" } })
    .png()
    .toBuffer();
const run = async (step: PipelineStep) =>
  runPipeline([step], {
    image: await image(),
    inputs: {},
    directory,
    loadAsset: async () => Buffer.alloc(0),
    onProgress: async () => {},
  });

describe("local tools", () => {
  it("serve every image-op tool under its own name, each capability once", () => {
    const served = localTools.map((tool) => tool.capability);
    expect(served).toEqual(expect.arrayContaining(imageTools.map((tool) => tool.name)));
    expect(new Set(served).size).toBe(served.length);
    for (const capability of served) expect(capabilities).toContain(capability);
  });

  it("run with options checked and defaults applied by the tool's schema", async () => {
    const result = await run({
      capability: "blur",
      prefer: ["local"],
      options: () => ({ image: "an asset id, not an option" }),
    });
    expect(result.outputs[0]).toMatchObject({ width: 40, height: 30, mime: "image/png" });
  });

  it("refuse an invalid option with a validation error naming it, before running", async () => {
    const failure = await run({ capability: "blur", prefer: ["local"], options: () => ({ sigma: "strong" }) }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "validation_failed", fields: { sigma: [expect.any(String)] } });
    expect((failure as AppError).message).toMatch(/^blur options: sigma: /);
  });

  it("name capabilities from a closed list: a typo does not compile", () => {
    // @ts-expect-error "blurr" is not a capability
    const step: PipelineStep = { capability: "blurr", options: () => ({}) };
    expect(capabilities).not.toContain(step.capability);
  });
});

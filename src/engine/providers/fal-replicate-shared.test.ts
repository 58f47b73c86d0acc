import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { falBlocked } from "./fal-api";
import { billedMegapixels, httpError, sdkError } from "./fal-replicate-shared";
import { replicateBlocked } from "./replicate-api";
import { lastPercentIn } from "./vendor-task";

const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe("what the Replicate and fal adapters share", () => {
  it("classifies vendor error answers by status, with refusals only for real safety errors", () => {
    const tolerance = JSON.stringify({
      title: "Input validation failed",
      detail: "- input.safety_tolerance: must be <= 2",
      status: 422,
    });
    expect(httpError("Replicate", answer(422), tolerance, replicateBlocked)).toMatchObject({
      failure: "rejected",
      status: 422,
    });
    expect(httpError("Replicate", answer(422), tolerance, replicateBlocked).message).toContain(
      "input.safety_tolerance",
    );

    const policy = JSON.stringify({
      detail: [{ loc: ["body", "prompt"], msg: "flagged", type: "content_policy_violation" }],
    });
    expect(httpError("fal", answer(422), policy, falBlocked)).toMatchObject({ failure: "blocked" });
    const checker = JSON.stringify({
      detail: [{ loc: ["body", "enable_safety_checker"], msg: "must be a boolean", type: "bool_type" }],
    });
    expect(httpError("fal", answer(422), checker, falBlocked)).toMatchObject({ failure: "rejected" });

    // Out of credit at the vendor: another provider may still serve the job.
    expect(httpError("Replicate", answer(402), "{}", replicateBlocked)).toMatchObject({ failure: "misconfigured" });
    expect(httpError("fal", answer(429, { "retry-after": "7" }), "{}", falBlocked)).toMatchObject({
      failure: "retriable",
      retryAfterSeconds: 7,
    });
  });

  it("reads SDK errors: an unreadable 2xx is malformed even when its body names has_nsfw_concepts", () => {
    const unreadable = new APICallError({
      message: "Invalid JSON response",
      url: "https://fal.run/fal-ai/flux/schnell",
      requestBodyValues: {},
      statusCode: 200,
      responseBody: '{"has_nsfw_concepts":[false]}',
    });
    expect(sdkError("fal", unreadable, /nsfw/i)).toMatchObject({ failure: "malformed", status: 200 });
    const throttled = new APICallError({
      message: "Too many requests",
      url: "https://api.replicate.com/v1/predictions",
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: { "retry-after": "3" },
    });
    expect(sdkError("Replicate", throttled, replicateBlocked)).toMatchObject({
      failure: "retriable",
      retryAfterSeconds: 3,
    });
  });

  it("finds the last percentage in model logs and rounds megapixels up", () => {
    expect(lastPercentIn("Using seed: 1\n 25%|██▌ | 1/4\n 75%|███████▌ | 3/4")).toBe(0.75);
    expect(lastPercentIn("Progress: 40%")).toBe(0.4);
    expect(lastPercentIn("no numbers here")).toBeUndefined();
    expect([billedMegapixels(64, 48), billedMegapixels(1024, 1024), billedMegapixels(1536, 1024)]).toEqual([1, 1, 2]);
  });
});

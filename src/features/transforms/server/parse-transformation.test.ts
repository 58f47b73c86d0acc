import { describe, expect, it } from "vitest";
import { parseTransformation, splitToken } from "./parse-transformation";
import type { BasicStep } from "./transformation-types";

const first = (raw: string) => parseTransformation(raw).steps[0] as BasicStep;

function expectInvalid(raw: string, param: string) {
  expect(() => parseTransformation(raw)).toThrowError(
    expect.objectContaining({ code: "invalid_transformation", status: 400, params: { param } }),
  );
}

describe("parseTransformation", () => {
  it("splits parameters with `,` and steps with `:`, accepting the tr: prefix", () => {
    const t = parseTransformation("tr:w-400,h-300,fo-auto:f-webp");
    expect(t.steps).toEqual([
      { kind: "basic", w: 400, h: 300, fo: "auto" },
      { kind: "basic", f: "webp" },
    ]);
    expect(t.canonical).toBe("fo-auto,h-300,w-400:f-webp");
    expect(t.format).toBe("webp");
  });

  it("normalises to one canonical string (sorted, values normalised, empty steps dropped)", () => {
    const a = parseTransformation("h-300,w-400,f-jpeg,bg-ff0000ff,fl-v_h::");
    const b = parseTransformation(" w-400 , h-300,fl-h_v,bg-FF0000,f-jpg");
    expect(a.canonical).toBe("bg-FF0000,f-jpg,fl-h_v,h-300,w-400");
    expect(b.canonical).toBe(a.canonical);
    expect(parseTransformation("").steps).toEqual([]);
    expect(parseTransformation("tr:").canonical).toBe("");
  });

  it("parses sizes, fractions, aspect ratio and dpr", () => {
    expect(first("w-400")).toMatchObject({ w: 400 });
    expect(first("h-0.5")).toMatchObject({ h: 0.5 });
    expect(first("w-.25")).toMatchObject({ w: 0.25 });
    expect(first("w-300,ar-4-3")).toMatchObject({ w: 300, ar: { w: 4, h: 3 } });
    expect(first("h-300,ar-1.5-1")).toMatchObject({ ar: { w: 1.5, h: 1 } });
    expect(first("w-300,dpr-2")).toMatchObject({ dpr: 2 });
    expect(parseTransformation("w-.25,dpr-2.50").canonical).toBe("dpr-2.5,w-0.25");
  });

  it("parses crop strategies, crop modes, focus and coordinates", () => {
    for (const c of ["maintain_ratio", "force", "at_max", "at_max_enlarge", "at_least"]) {
      expect(first(`w-10,h-10,c-${c}`)).toMatchObject({ c });
    }
    for (const cm of ["extract", "pad_extract", "pad_resize"])
      expect(first(`w-10,h-10,cm-${cm}`)).toMatchObject({ cm });
    // pad_resize is ImageKit's cm value; c-pad_resize is accepted and means the same.
    expect(parseTransformation("w-10,h-10,c-pad_resize").canonical).toBe("cm-pad_resize,h-10,w-10");
    for (const fo of [
      "center",
      "top",
      "left",
      "bottom",
      "right",
      "top_left",
      "top_right",
      "bottom_left",
      "bottom_right",
      "auto",
      "face",
    ]) {
      expect(first(`w-10,h-10,fo-${fo}`)).toMatchObject({ fo });
    }
    expect(first("w-10,h-10,cm-extract,x-5,y-7")).toMatchObject({ cm: "extract", x: 5, y: 7 });
    expect(first("w-10,h-10,cm-pad_resize,fo-left")).toMatchObject({ cm: "pad_resize", fo: "left" });
  });

  it("parses format, quality, rotation, flips, blur, sharpen, grayscale", () => {
    for (const [f, want] of [
      ["auto", "auto"],
      ["jpg", "jpg"],
      ["jpeg", "jpg"],
      ["png", "png"],
      ["webp", "webp"],
      ["avif", "avif"],
      ["orig", "orig"],
    ]) {
      expect(first(`f-${f}`)).toMatchObject({ f: want });
    }
    expect(parseTransformation("q-80:q-55").quality).toBe(55);
    expect(first("rt-90")).toMatchObject({ rt: 90 });
    expect(first("rt-N90")).toMatchObject({ rt: 270 });
    expect(first("rt--45")).toMatchObject({ rt: 315 });
    expect(first("rt-360")).toMatchObject({ rt: 0 });
    expect(first("rt-auto")).toMatchObject({ rt: "auto" });
    expect(first("fl-h")).toMatchObject({ fl: "h" });
    expect(first("fl-v")).toMatchObject({ fl: "v" });
    expect(first("fl-v_h")).toMatchObject({ fl: "h_v" });
    expect(first("bl-10")).toMatchObject({ bl: 10 });
    expect(first("e-sharpen")).toMatchObject({ sharpen: 10 });
    expect(first("e-sharpen-40")).toMatchObject({ sharpen: 40 });
    expect(first("e-grayscale")).toMatchObject({ grayscale: true });
  });

  it("parses background, border, radius and trim", () => {
    expect(first("bg-00FF0080")).toMatchObject({ bg: { r: 0, g: 255, b: 0, alpha: 128 / 255 } });
    expect(first("b-5_FF0000")).toMatchObject({ border: { width: 5, color: { r: 255, g: 0, b: 0, alpha: 1 } } });
    expect(first("r-20")).toMatchObject({ radius: 20 });
    expect(first("r-max")).toMatchObject({ radius: "max" });
    expect(first("t-true")).toMatchObject({ t: 10 });
    expect(first("t-30")).toMatchObject({ t: 30 });
    expect(parseTransformation("b-5_ff0000,t-true").canonical).toBe("b-5_FF0000,t-true");
  });

  it("parses the AI steps with their arguments and canonical names", () => {
    const steps = parseTransformation(
      "e-bgremove:e-dropshadow:e-dropshadow-st-20_az-90:e-upscale:e-retouch:e-changebg-prompt-snowy  street:e-edit-prompt-add a hat:bg-genfill,w-800,h-600,cm-pad_resize:bg-genfill-prompt-sky",
    ).steps;
    expect(steps.map((s) => (s.kind === "ai" ? s.token : s.kind))).toEqual([
      "e-bgremove",
      "e-dropshadow-az-215_el-45_st-60",
      "e-dropshadow-az-90_el-45_st-20",
      "e-upscale",
      "e-retouch",
      "e-changebg-prompt-snowy street",
      "e-edit-prompt-add a hat",
      "bg-genfill,cm-pad_resize,h-600,w-800",
      "bg-genfill-prompt-sky",
    ]);
    expect(steps[2]).toMatchObject({ op: "dropshadow", args: { az: 90, el: 45, st: 20 } });
    expect(steps[5]).toMatchObject({ op: "changebg", args: { prompt: "snowy street" } });
    expect(steps[7]).toMatchObject({ op: "genfill", args: { width: 800, height: 600 } });
  });

  it("splits keys from values", () => {
    expect(splitToken("e-sharpen-5")).toEqual({ key: "e-sharpen", value: "5" });
    expect(splitToken("ar-4-3")).toEqual({ key: "ar", value: "4-3" });
    expect(splitToken("e-grayscale")).toEqual({ key: "e-grayscale", value: undefined });
  });
});

describe("parseTransformation errors name the parameter", () => {
  it.each([
    ["zz-1", "zz-1"],
    ["w-abc", "w-abc"],
    ["w-0", "w-0"],
    ["w-9000", "w-9000"],
    ["h-1.5", "h-1.5"],
    ["w-10,ar-4", "ar-4"],
    ["w-10,ar-0-3", "ar-0-3"],
    ["c-squash,w-10", "c-squash"],
    ["w-10,cm-stretch", "cm-stretch"],
    ["w-10,h-10,fo-middle", "fo-middle"],
    ["w-10,dpr-9", "dpr-9"],
    ["f-gif", "f-gif"],
    ["q-0", "q-0"],
    ["q-101", "q-101"],
    ["rt-45.5", "rt-45.5"],
    ["rt-720", "rt-720"],
    ["fl-x", "fl-x"],
    ["bl-0", "bl-0"],
    ["e-sharpen-x", "e-sharpen-x"],
    ["e-grayscale-1", "e-grayscale-1"],
    ["bg-red", "bg-red"],
    ["b-5", "b-5"],
    ["b-5_FF0000_1", "b-5_FF0000_1"],
    ["r-round", "r-round"],
    ["t-100", "t-100"],
    ["e-bgremove-1", "e-bgremove-1"],
    ["e-dropshadow-az-400", "e-dropshadow-az-400"],
    ["e-dropshadow-xx-1", "e-dropshadow-xx-1"],
    ["e-changebg-snow", "e-changebg-snow"],
    ["e-edit-prompt-", "e-edit-prompt-"],
    ["e-magic", "e-magic"],
  ])("%s", (raw, param) => expectInvalid(raw, param));

  it.each([
    ["w-10,w-20", "w-20"],
    ["w-10,h-10,c-force,cm-extract", "cm-extract"],
    ["w-10,h-10,ar-4-3", "ar-4-3"],
    ["ar-4-3", "ar-4-3"],
    ["c-force", "c-force"],
    ["cm-extract", "cm-extract"],
    ["dpr-2", "dpr-2"],
    ["fo-auto", "fo-auto"],
    ["w-10,fo-auto", "fo-auto"],
    ["w-10,h-10,c-force,fo-top", "fo-top"],
    ["w-10,h-10,cm-pad_resize,fo-face", "fo-face"],
    ["w-10,h-10,x-5", "x-5"],
    ["w-10,h-10,cm-extract,fo-top,y-3", "y-3"],
    ["e-bgremove,w-100", "w-100"],
    ["w-100,e-bgremove", "w-100"],
    ["e-bgremove,e-upscale", "e-upscale"],
    ["bg-genfill,w-10,h-10,cm-extract", "cm-extract"],
    ["bg-genfill,fo-top", "fo-top"],
    ["bg-genfill,w-0.5", "w-0.5"],
  ])("contradiction %s", (raw, param) => expectInvalid(raw, param));

  it("refuses overlong transformations", () => expectInvalid("w-1,".repeat(600), "tr"));
});

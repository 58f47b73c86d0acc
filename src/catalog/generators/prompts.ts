/** The prompts that make the generative generators what they are: one place, data not code paths. */

export type StylePreset = keyof typeof stylePresets;
export const stylePresets = {
  watercolor:
    "Repaint this image as a loose watercolor painting on textured paper, soft washes and visible brush edges.",
  "oil-painting": "Repaint this image as a classical oil painting with rich impasto brushwork and warm varnish tones.",
  "pencil-sketch": "Redraw this image as a detailed graphite pencil sketch with cross-hatching on white paper.",
  anime: "Redraw this image in a clean modern anime style with crisp line art and cel shading.",
  "pixel-art": "Recreate this image as 16-bit pixel art with a limited palette and clear pixel edges.",
  "pop-art": "Recreate this image as bold pop art with halftone dots, thick outlines and flat saturated colours.",
  cinematic: "Regrade this image as a cinematic film still: teal-and-orange grade, soft contrast, subtle grain.",
  "3d-render": "Recreate this image as a polished 3D render with soft global illumination and clay-like materials.",
} as const;

export type HeadshotLook = keyof typeof headshotLooks;
const identity =
  "Keep the person's identity exactly: same face, facial features, skin tone, hair and age; do not beautify or change the face shape.";
export const headshotLooks = {
  corporate: `Turn this selfie into a professional corporate headshot: business attire, soft studio lighting, neutral grey background, head and shoulders, looking at the camera. ${identity}`,
  creative: `Turn this selfie into a creative professional portrait: smart casual clothes, warm natural window light, a softly blurred modern office behind. ${identity}`,
  casual: `Turn this selfie into a friendly casual profile photo: relaxed clothes, daylight outdoors, a gently blurred green background. ${identity}`,
  "studio-bw": `Turn this selfie into a black-and-white studio portrait with dramatic side light on a dark background. ${identity}`,
} as const;

/** For providers that restore faces by instruction rather than with a dedicated model. */
export const restorePrompt =
  "Restore this photo: make every face sharp and natural again (clear eyes, skin texture, hair detail), " +
  "remove blur, noise, scratches and fading, and keep each person's identity, expression, pose and the rest of the picture exactly as they are.";

export const expandSides = ["all", "left-right", "top-bottom", "left", "right", "top", "bottom"] as const;
export type ExpandSide = (typeof expandSides)[number];

type Expand = { top: number; right: number; bottom: number; left: number };

/**
 * How much to grow each side, as fractions of the image's size: either the chosen sides by
 * `amount` percent, or, for a target canvas, just enough on two opposite sides to reach its aspect.
 */
export function expandFractions(inputs: Record<string, unknown>, image?: { width: number; height: number }): Expand {
  const width = inputs.width as number | undefined;
  const height = inputs.height as number | undefined;
  if (width && height && image) {
    const target = width / height;
    const current = image.width / image.height;
    if (Math.abs(target - current) < 0.005) return { top: 0, right: 0, bottom: 0, left: 0 };
    if (target > current) {
      const grow = (target * image.height - image.width) / image.width / 2;
      return { top: 0, right: grow, bottom: 0, left: grow };
    }
    const grow = (image.width / target - image.height) / image.height / 2;
    return { top: grow, right: 0, bottom: grow, left: 0 };
  }
  const fraction = Number(inputs.amount ?? 25) / 100;
  const sides = (inputs.sides as ExpandSide | undefined) ?? "all";
  const on = (side: keyof Expand) =>
    sides === "all" ||
    sides === side ||
    (sides === "left-right" && (side === "left" || side === "right")) ||
    (sides === "top-bottom" && (side === "top" || side === "bottom"));
  return {
    top: on("top") ? fraction : 0,
    right: on("right") ? fraction : 0,
    bottom: on("bottom") ? fraction : 0,
    left: on("left") ? fraction : 0,
  };
}

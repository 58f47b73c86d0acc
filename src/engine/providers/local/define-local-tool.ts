import type { z } from "zod";
import type { ToolOutput } from "../../tools/types";
import type { Capability } from "../capabilities";
import type { Provider, ToolContext } from "../types";

/**
 * A local tool as a capability: the capability it serves, its options as a Zod schema (defaults
 * included) and its run function, whose options are typed from that schema.
 */
export type LocalTool<Schema extends z.ZodType = z.ZodType> = {
  capability: Capability;
  options: Schema;
  run(input: Buffer | undefined, options: z.output<Schema>, context: ToolContext): Promise<ToolOutput | ToolOutput[]>;
};

export function defineLocalTool<Schema extends z.ZodType>(tool: LocalTool<Schema>): LocalTool<Schema> {
  return tool;
}

/** Most tools work on the current image; a step without one is the catalog's mistake. */
export function requireImage(input: Buffer | undefined): Buffer {
  if (!input) throw new Error("this tool needs an input image");
  return input;
}

/**
 * A provider serving each tool under its capability. The pipeline checks a step's options against
 * `optionSchemas` first (a clear error); the runner parses them again to get the typed value.
 */
export function providerOfTools(id: string, tools: LocalTool[]): Provider {
  const provider: Provider & Required<Pick<Provider, "optionSchemas">> = { id, capabilities: {}, optionSchemas: {} };
  for (const tool of tools) {
    if (provider.capabilities[tool.capability]) throw new Error(`two local tools serve ${tool.capability}`);
    provider.capabilities[tool.capability] = (input, options, context) =>
      tool.run(input, tool.options.parse(options), context);
    provider.optionSchemas[tool.capability] = tool.options;
  }
  return provider;
}

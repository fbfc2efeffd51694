import type { z } from "zod";
import type { ChannelName, Channels } from "../../shared/api/channels.ts";
import type { HandlerContext } from "./api-deps.ts";

/** A handler gets the validated request and returns something the result schema accepts. */
export type Handler<C extends ChannelName> = (
  req: z.output<Channels[C]["request"]>,
  ctx: HandlerContext,
) => Promise<z.input<Channels[C]["result"]>>;

export type Handlers = { [C in ChannelName]: Handler<C> };
export type HandlerGroup<K extends ChannelName> = { [C in K]: Handler<C> };

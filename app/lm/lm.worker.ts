/**
 * The language-model worker: trains the view's model and its γ = 0 twin off the page's thread
 * (lm-session.ts does the work; this is its shell). The page terminates the worker on reset.
 */
import type { LmCommand, LmEvent } from './lm-protocol';
import { LmSession } from './lm-session';

const session = new LmSession((event: LmEvent) => (self as unknown as Worker).postMessage(event));

self.onmessage = (message: MessageEvent<LmCommand>) => session.handle(message.data);

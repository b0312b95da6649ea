import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';

/** `@langchain/core`'s key for the config a runnable runs with, inside the async-local store. */
const CHILD_CONFIG_KEY = Symbol.for('lc:child_config');
/** `@langchain/core`'s key for context variables (`setContextVariable`), carried from the enclosing store. */
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');

type RunWithConfig = typeof AsyncLocalStorageProviderSingleton.runWithConfig;
let original: RunWithConfig | undefined;

/**
 * Every LangGraph node step, channel write and edge route runs inside `AsyncLocalStorageProviderSingleton.runWithConfig`
 * (`@langchain/core`), which builds a langsmith `RunTree` only to carry the step's config in the async-local store,
 * also when nothing traces (`tracingEnabled: false`): about 30 µs each, 18 per iteration of a three-node loop, a
 * quarter of LangGraph's own cost per iteration (`npm run bench:overhead`). When no LangChain tracer is configured
 * (no tracing from the environment, read once per process; no tracer in the callbacks), this carries the same config in a plain object instead:
 * `getRunnableConfig()` (LangGraph's `getConfig`, `interrupt`, `writer`, nested graphs) reads the same value, and
 * context variables are carried as before. With a tracer, the original runs unchanged, so traces are the same.
 * Installed once per process by the spine before a graph runs; `restoreRunContext` undoes it (tests).
 */
export function installUntracedRunContext(): void {
  if (original) return;
  const provider = AsyncLocalStorageProviderSingleton;
  original = provider.runWithConfig.bind(provider);
  const traced = original;
  // Tracing switched on by the environment (LANGSMITH_TRACING and the like) puts LangChain's tracer in every step's
  // callbacks: that is read once, here, not on every step (those environment reads were a tenth of a replay).
  const tracingFromEnv = hasTracer(CallbackManager._configureSync(undefined)?.handlers);
  provider.runWithConfig = ((config, callback, avoidCreatingRootRunTree) => {
    const callbacks = config?.callbacks;
    const handlers = Array.isArray(callbacks) ? callbacks : callbacks?.handlers;
    if (tracingFromEnv || hasTracer(handlers)) return traced(config, callback, avoidCreatingRootRunTree);
    if (avoidCreatingRootRunTree) return traced(config, callback, avoidCreatingRootRunTree);
    const storage = provider.getInstance();
    const previous = storage.getStore() as Record<symbol, unknown> | undefined;
    const store: Record<string | symbol, unknown> = { extra: { [CHILD_CONFIG_KEY]: config } };
    if (previous?.[CONTEXT_VARIABLES_KEY] !== undefined) store[CONTEXT_VARIABLES_KEY] = previous[CONTEXT_VARIABLES_KEY];
    return storage.run(store, callback);
  }) as RunWithConfig;
}

function hasTracer(handlers: ReadonlyArray<{ name?: string } | undefined> | undefined): boolean {
  return handlers?.some((handler) => handler?.name === 'langchain_tracer') ?? false;
}

/** Puts `@langchain/core`'s own `runWithConfig` back. */
export function restoreRunContext(): void {
  if (!original) return;
  AsyncLocalStorageProviderSingleton.runWithConfig = original;
  original = undefined;
}

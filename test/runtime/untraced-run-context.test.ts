import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { getContextVariable, setContextVariable } from '@langchain/core/context';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { Annotation, getConfig, MemorySaver, StateGraph } from '@langchain/langgraph';
import { RunTree } from 'langsmith';
import { afterEach, describe, expect, it } from 'vitest';
import { installUntracedRunContext, restoreRunContext } from '../../src/runtime/untraced-run-context.ts';

const State = Annotation.Root({ seen: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }) });

/** A two-node graph whose nodes report what LangGraph's getConfig and the async-local store give them. */
function probeGraph() {
  const observe = (name: string) => async () => {
    const config = getConfig();
    const store = AsyncLocalStorageProviderSingleton.getInstance().getStore();
    return {
      seen: [
        `${name}:${config.configurable?.['thread_id']}:${config.configurable?.['probe']}:${getContextVariable('who')}:${store instanceof RunTree ? 'RunTree' : 'plain'}`,
      ],
    };
  };
  return new StateGraph(State)
    .addNode('a', observe('a'))
    .addNode('b', observe('b'))
    .addEdge('__start__', 'a')
    .addEdge('a', 'b')
    .addEdge('b', '__end__')
    .compile({ checkpointer: new MemorySaver() });
}

async function runProbe(callbacks?: BaseCallbackHandler[]) {
  setContextVariable('who', 'outer');
  const out = await probeGraph().invoke(
    {},
    { configurable: { thread_id: 't1', probe: 42 }, ...(callbacks ? { callbacks } : {}) },
  );
  return out.seen;
}

/** Stands where LangChain's tracer does (found by its name); hands LangChain a RunTree for the step, as it does. */
class NamedTracer extends BaseCallbackHandler {
  name = 'langchain_tracer';
  getRunTreeWithTracingConfig(_id: string) {
    return new RunTree({ name: 'traced-step', tracingEnabled: false });
  }
}

describe('installUntracedRunContext', () => {
  afterEach(() => restoreRunContext());

  it('gives nodes the same config and context variables as LangChain does, without a RunTree per step', async () => {
    const before = await runProbe();
    expect(before).toEqual(['a:t1:42:outer:RunTree', 'b:t1:42:outer:RunTree']);
    installUntracedRunContext();
    const after = await runProbe();
    expect(after).toEqual(['a:t1:42:outer:plain', 'b:t1:42:outer:plain']);
  });

  it('leaves a configured LangChain tracer on the original path', async () => {
    installUntracedRunContext();
    const traced = await runProbe([new NamedTracer()]);
    expect(traced).toEqual(['a:t1:42:outer:RunTree', 'b:t1:42:outer:RunTree']);
  });

  it('is undone by restoreRunContext', async () => {
    installUntracedRunContext();
    restoreRunContext();
    expect(await runProbe()).toEqual(['a:t1:42:outer:RunTree', 'b:t1:42:outer:RunTree']);
  });
});

import type { PipelineExample } from '../../src/runtime/pipeline-example.ts';
import type { MokavTask } from './mokav-task.ts';

/**
 * Techniques §2.2's example pair (C4B problem 476, author 11, written out by hand): P returns [(2n+2)//3], Q
 * [(2n+1)//3]. Round 0's samples find nothing ("1" agrees, the second reply has no input), round 1's "2" is a DET.
 */
export const mokavExample: PipelineExample = {
  prepare: () => ({
    config: 'configs/mokav-badtie.yaml',
    set: ['options.samples=2', 'options.rounds=3'],
    task: {
      id: '476,11',
      original: {
        source:
          'def original_func(*args):\n\tglobal_list = []\n\tn = int(args[0])\n\tglobal_list.append((2 * n + 2) // 3)\n\treturn global_list\n',
        function: 'original_func',
        filename: '<original>',
      },
      patched: {
        source:
          'def patched_func(*args):\n\tglobal_list = []\n\tn = int(args[0])\n\tglobal_list.append((2 * n + 1) // 3)\n\treturn global_list\n',
        function: 'patched_func',
        filename: '<patched>',
      },
      exampleInput: '1',
      replyFormat: 'inputdata-string',
    } satisfies MokavTask,
    replies: {
      describer: ['Reads n and appends (2n+2)//3.', 'Reads n and appends (2n+1)//3.'],
      tester: ["```python\n{'inputdata': '1'}\n```", 'I cannot find one.', "{'inputdata': '2'}", "{'inputdata': '3'}"],
    },
  }),
};

/**
 * Hand-written model replies for the running-max task (fixtures/tasks/running-max.json), as a model would
 * answer: the coder's first attempt stops one prefix short (an off-by-one), and its second attempt, written
 * after reading the critic's feedback, is correct. Used by the end-to-end test and by the script that records
 * the shipped trajectory (record-refine-fixture.ts).
 */

export const PLANNER_REPLY = `- Walk through \`values\` once, keeping the largest value seen so far.
- Append that running maximum after looking at each element, so the output has the same length as the input.
- An empty list gives an empty list; do not read values[0] before checking the length.
- Negative numbers are ordinary values: start from the first element, not from 0.`;

export const BUGGY_CODER_REPLY = `Each output element is the maximum of a prefix of the input:

\`\`\`python
from typing import List


def running_max(values: List[int]) -> List[int]:
    result = []
    for i in range(1, len(values)):
        result.append(max(values[:i]))
    return result
\`\`\``;

export const TESTER_REPLY = `\`\`\`python
assert running_max([1, 1]) == [1, 1]
assert running_max([0, -1, 2]) == [0, 0, 2]
assert running_max([5, 4, 6, 6, 2]) == [5, 5, 6, 6, 6]
assert running_max(list(range(5))) == [0, 1, 2, 3, 4]
\`\`\``;

export const FIXED_CODER_REPLY = `The loop stopped one prefix short: \`range(1, len(values))\` never includes the whole list, and a
one-element list produced nothing. This version keeps the running maximum in one pass instead:

\`\`\`python
from typing import List


def running_max(values: List[int]) -> List[int]:
    result = []
    best = None
    for value in values:
        if best is None or value > best:
            best = value
        result.append(best)
    return result
\`\`\``;

/** What the critic's feedback on the buggy attempt must say for the fixed reply to make sense. */
export const EXPECTED_FEEDBACK_FRAGMENTS = [
  'expected: [3, 3, 4, 4, 5]',
  'actual:   [3, 3, 4, 4]',
  'visible test 3: assert running_max([7]) == [7]',
];

// Registers every shipped pipeline with the runtime. The spine imports this file, never a graph directly.
import './refine/index.ts';
import './codet/index.ts';
import './repo/index.ts';

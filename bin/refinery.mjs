#!/usr/bin/env node
// Development entry: runs bin/refinery.ts from the TypeScript sources through tsx (a devDependency), so a
// checkout needs no build. The package's bin is the build's dist/bin/refinery.js (npm run build).
import { register } from 'tsx/esm/api';

register();
await import('./refinery.ts');

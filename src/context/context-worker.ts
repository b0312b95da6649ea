/**
 * The helper thread of the context selection (started by context-helper.ts, never imported): it loads the
 * tree's parsers, takes runs of files to index from the counter it shares with the main thread, sends each run's
 * index as text, then parses the files the main thread sends it. Reads only inside the root, as the main thread does.
 */
import { realpathSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { HelperReply, HelperRequest, HelperSetup } from './context-helper.ts';
import { contextLanguageOf } from './context-languages.ts';
import { extractFileTags, prepareFileTags } from './file-tags.ts';
import { isInside, readTreeFile } from './tree-files.ts';
import { indexFiles } from './tree-terms.ts';

const setup = workerData as HelperSetup;
const port = parentPort!;
const send = (reply: HelperReply) => port.postMessage(reply);

const realRoot = realpathSync(setup.root);
const folders = new Map<string, boolean>();
const textOf = (path: string) => {
  const file = readTreeFile(setup.root, path, realRoot, (folder) => {
    let inside = folders.get(folder);
    if (inside === undefined) {
      inside = isInside(realRoot, folder);
      folders.set(folder, inside);
    }
    return inside;
  });
  return file.kind === 'text' ? file.text : undefined;
};

port.on('message', (request: HelperRequest) => {
  const language = contextLanguageOf(request.path);
  if (!language) return send({ type: 'tags', id: request.id, error: `no language for ${request.path}` });
  extractFileTags(language, request.text).then(
    (tags) => send({ type: 'tags', id: request.id, tags }),
    (error: unknown) => send({ type: 'tags', id: request.id, error: String(error) }),
  );
});

// The parsers first: they load while the main thread indexes, and are ready when it sends the files to parse.
const languages = new Map(
  setup.paths.flatMap((p) => (contextLanguageOf(p) ? [[contextLanguageOf(p)!.grammar, contextLanguageOf(p)!]] : [])),
);
await Promise.all([...languages.values()].map((language) => prepareFileTags(language).catch(() => undefined)));
const claims = new Int32Array(setup.claims);
for (let run = Atomics.add(claims, 0, 1); run < setup.runs; run = Atomics.add(claims, 0, 1)) {
  const paths = setup.paths.slice(run * setup.runLength, (run + 1) * setup.runLength);
  send({ type: 'run', run, index: indexFiles(paths, textOf).serialize() });
}

import type { z } from 'zod';
import type { RepoMap } from '../context/repo-map.ts';
import type { ToolResult } from './tool-result.ts';

/** The worktree the tools read, and the indexes they share. Every path they take is checked to be inside `root`. */
export interface ToolWorkspace {
  root: string;
  /** The files the search tools look at (tracked files plus files the run created), repository-relative. */
  listFiles(): Promise<string[]>;
  /** The repository map of definitions and references, for the symbol tools. */
  repoMap(): Promise<RepoMap>;
}

/** One exploration tool: its name and description for the model, its arguments' zod schema, and what it does. */
export interface ExplorationTool<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  arguments: S;
  run(args: z.infer<S>, workspace: ToolWorkspace): Promise<ToolResult>;
}

export const defineTool = <S extends z.ZodObject>(tool: ExplorationTool<S>): ExplorationTool<S> => tool;

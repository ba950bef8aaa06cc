import { ApiExtension } from '@nestjs/swagger';
import type { ResponseSchemaName } from './response-schemas';

/** Refusals an endpoint gives of its own (the ones every endpoint may give are added by rule: see `openapi-document.ts`). */
export type OwnProblem = 404 | 409 | 422 | 429;

export interface Answer {
  readonly status: 200 | 201 | 204 | 503;
  readonly description: string;
  /** The body's schema (none for 204); its example comes from `response-examples.json`. */
  readonly schema?: ResponseSchemaName;
}

export interface AnswersSpec {
  /** What a success (and any other non-problem answer) looks like. */
  readonly answers: readonly Answer[];
  readonly problems?: readonly OwnProblem[];
  /** Who may call it: by default GET is a read and anything else a write (see `access/`). */
  readonly access?: 'public' | 'read' | 'write';
  /** A Server-Sent Events stream: what its messages are. */
  readonly stream?: string;
}

export const ANSWERS_EXTENSION = 'x-squad-answers';

/**
 * Declares every answer of an operation, so the document lists each one with its schema and an
 * example. An operation without it makes the document fail to build: no endpoint goes undocumented.
 */
export const Answers = (spec: AnswersSpec): MethodDecorator => ApiExtension(ANSWERS_EXTENSION, spec) as MethodDecorator;

import { AppError } from '../errors.ts';

/** What a request named does not exist (a model, a site, a history series, a report): the API's 404. */
export class NotFoundError extends AppError {
  constructor(what: string, message: string) {
    super('NOT_FOUND', `${what}: ${message}`, { exitCode: 2, context: { what } });
  }
}

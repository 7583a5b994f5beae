import type { DayParam } from './time/format.js';

/** Message parameters; instants and days are written in the reader's language when the message is. */
export type MessageParams = Record<string, string | number | Date | DayParam>;

/** Typed errors: services throw these, the error handler maps them to status codes with instanceof. */
export class AppError extends Error {
  readonly status: number = 500;
  /** A locale key for the message shown to the person, with its parameters. */
  constructor(
    readonly messageKey: string,
    readonly params: MessageParams = {},
    readonly details?: Record<string, string>,
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}
export class InvalidInput extends AppError {
  override readonly status: number = 422;
}
export class BadRequest extends AppError {
  override readonly status: number = 400;
}
export class NotFound extends AppError {
  override readonly status: number = 404;
}
export class Forbidden extends AppError {
  override readonly status: number = 403;
}
export class Unauthenticated extends AppError {
  override readonly status: number = 401;
  /** The WWW-Authenticate challenge sent with the 401 (RFC 6750: a bearer token is how an API caller signs in). */
  readonly challenge: string = 'Bearer';
}
/** A bearer token that is unknown, revoked, or whose owner is deactivated (RFC 6750 §3.1). */
export class InvalidToken extends Unauthenticated {
  override readonly challenge: string = 'Bearer error="invalid_token"';
}
export class MethodNotAllowed extends AppError {
  override readonly status: number = 405;
}
/** 413: a body or an upload larger than the route accepts. */
export class PayloadTooLarge extends AppError {
  override readonly status: number = 413;
}
/** 415: an upload that is not of a kind the route reads (told by its content, not its name). */
export class UnsupportedMediaType extends AppError {
  override readonly status: number = 415;
}
export class Conflict extends AppError {
  override readonly status: number = 409;
}
export class InvalidTransition extends Conflict {}
export class TooManyRequests extends AppError {
  override readonly status: number = 429;
  constructor(messageKey: string, params: MessageParams, readonly retryAfterSeconds: number) {
    super(messageKey, params);
  }
}
export class Unavailable extends AppError {
  override readonly status: number = 503;
}

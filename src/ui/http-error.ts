/** An error the UI's server answers with its status and message (a 404, a 400 for a bad query…). */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

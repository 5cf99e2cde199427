/** Reason phrases for the status codes the receiver answers with. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  500: "Internal Server Error",
};

// The errors the stand-in answers with, in the shapes Commerce Layer uses. The API (/api/...) answers JSON:API error
// objects `{ errors: [{ title, detail, code, status, source?, meta? }] }` with `status` a string and the codes of the
// documented examples (docs.commercelayer.io "Handling errors": VALIDATION_ERROR, KEY_NOT_INCLUDED_IN_URL,
// RECORD_NOT_FOUND) and of the JSON:API library the API is built on (INVALID_INCLUDE, FILTER_NOT_ALLOWED, ...). The
// token endpoint answers the same list with `status` a number (what js-auth types and its tests read).

export interface ErrorObject {
  readonly title: string;
  readonly detail: string;
  readonly code: string;
  readonly status: string;
  readonly source?: { readonly pointer?: string; readonly parameter?: string };
  readonly meta?: Record<string, unknown>;
}

/** A request the API refuses: thrown anywhere below the router, answered as one error document. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly ErrorObject[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errors.map((error) => error.detail).join("; "));
  }
}

function failure(status: number, code: string, title: string, detail: string, more: Partial<ErrorObject> = {}) {
  return new ApiFailure(status, [{ title, detail, code, status: String(status), ...more }]);
}

/** One failed validation of an attribute: Rails' wording ("can't be blank") and its error key in `meta.error`. */
export interface ValidationIssue {
  readonly attribute: string;
  readonly message: string;
  readonly error: string;
  readonly value?: unknown;
}

export const fail = {
  invalidToken: (detail = "The access token you provided is invalid.") =>
    failure(401, "INVALID_TOKEN", "Invalid token", detail),
  forbidden: () =>
    failure(403, "FORBIDDEN", "Forbidden", "You are not authorized to perform this action on the requested resource."),
  recordNotFound: () =>
    failure(
      404,
      "RECORD_NOT_FOUND",
      "Record not found",
      "The requested resource was not found. Please double-check the resource id.",
    ),
  routeNotFound: (path: string) => failure(404, "NOT_FOUND", "Not found", `No route matches ${path}.`),
  methodNotAllowed: (method: string, allowed: readonly string[]) =>
    new ApiFailure(
      405,
      [
        {
          title: "Method not allowed",
          detail: `${method} is not allowed on this resource.`,
          code: "METHOD_NOT_ALLOWED",
          status: "405",
        },
      ],
      { allow: allowed.join(", ") },
    ),
  notAcceptable: () =>
    failure(406, "NOT_ACCEPTABLE", "Not acceptable", "The Accept header must allow application/vnd.api+json."),
  unsupportedMediaType: (contentType: string) =>
    failure(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "Unsupported media type",
      `The Content-Type must be application/vnd.api+json, not ${contentType || "none"}.`,
    ),
  badRequest: (detail: string) => failure(400, "BAD_REQUEST", "Bad request", detail),
  paramMissing: (param: string) =>
    failure(400, "PARAM_MISSING", "Missing Parameter", `The required parameter, ${param}, is missing.`),
  paramNotAllowed: (param: string) =>
    failure(400, "PARAM_NOT_ALLOWED", "Param not allowed", `${param} is not allowed.`, { source: { pointer: param } }),
  typeMismatch: (type: unknown) =>
    failure(400, "TYPE_MISMATCH", "Type Mismatch", `${String(type)} is not a valid type for this operation.`),
  keyNotIncludedInUrl: (id: unknown) =>
    failure(
      400,
      "KEY_NOT_INCLUDED_IN_URL",
      "Key is not included in URL",
      `The URL does not support the key ${String(id)}`,
    ),
  invalidInclude: (path: string, type: string) =>
    failure(400, "INVALID_INCLUDE", "Invalid field", `${path} is not a valid includable relationship of ${type}`, {
      source: { parameter: "include" },
    }),
  invalidField: (field: string, type: string) =>
    failure(400, "INVALID_FIELD", "Invalid field", `${field} is not a valid field for ${type}.`, {
      source: { parameter: `fields[${type}]` },
    }),
  invalidSort: (field: string, type: string) =>
    failure(
      400,
      "INVALID_SORT_CRITERIA",
      "Invalid sort criteria",
      `${field} is not a valid sort criteria for ${type}`,
      {
        source: { parameter: "sort" },
      },
    ),
  invalidPageValue: (parameter: string, value: string, detail: string) =>
    failure(
      400,
      "INVALID_PAGE_VALUE",
      "Invalid page value",
      `${value} is not a valid value for ${parameter}: ${detail}`,
      {
        source: { parameter },
      },
    ),
  filterNotAllowed: (filter: string, parameter: string) =>
    failure(400, "FILTER_NOT_ALLOWED", "Filter not allowed", `${filter} is not allowed.`, { source: { parameter } }),
  invalidFilterValue: (filter: string, value: string) =>
    failure(400, "INVALID_FILTER_VALUE", "Invalid filter value", `${value} is not a valid value for ${filter}.`, {
      source: { parameter: `filter[q][${filter}]` },
    }),
  validation: (issues: readonly ValidationIssue[]) =>
    new ApiFailure(
      422,
      issues.map((issue) => ({
        title: issue.message,
        detail: `${issue.attribute} - ${issue.message}`,
        code: "VALIDATION_ERROR",
        status: "422",
        source: { pointer: `/data/attributes/${issue.attribute}` },
        meta: { error: issue.error, ...(issue.value === undefined ? {} : { value: issue.value }) },
      })),
    ),
  internal: () =>
    failure(
      500,
      "INTERNAL_SERVER_ERROR",
      "Internal server error",
      "Something went wrong on our end and is being investigated by our engineers.",
    ),
};

/** The errors a fault answers with when the test names only a status. */
export function cannedFailure(status: number): ApiFailure {
  switch (status) {
    case 401:
      return fail.invalidToken();
    case 403:
      return fail.forbidden();
    case 404:
      return fail.recordNotFound();
    case 422:
      return fail.validation([{ attribute: "base", message: "is invalid", error: "invalid" }]);
    case 429:
      return failure(429, "TOO_MANY_REQUESTS", "Too many requests", "You have exceeded the rate limit.");
    case 500:
      return fail.internal();
    default:
      return failure(status, `HTTP_${status}`, `HTTP ${status}`, `The stand-in answered ${status} as it was told to.`);
  }
}

/** An error of the token endpoint: the same list, `status` a number, a title such as `invalid_client`. */
export function authErrorBody(status: number, title: string, code: string, detail: string) {
  return { errors: [{ title, detail, code, status, meta: {} }] };
}

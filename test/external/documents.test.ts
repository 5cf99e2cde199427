// documentOf: every kind's success document exactly as Commerce Layer reads it, every failure's status and error
// placement, and (fast-check) that any valid result gives a document of the documented shape while any malformed
// one throws InvalidResult and never yields a success document.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { documentOf, errorDocument, InvalidResult } from "../../shared/external/documents.ts";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../shared/external/kinds.ts";
import { failure, invalidOrder } from "../../shared/external/results.ts";

const PAYMENT_KINDS = EXTERNAL_KIND_NAMES.filter(
  (kind) => kind.startsWith("payment-gateway/") && kind !== "payment-gateway/customer-token",
);
const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("success documents", () => {
  it.each(PAYMENT_KINDS)("%s: transaction_token, amount_cents, metadata, 200", (kind) => {
    const document = documentOf(kind, { transactionToken: "tok_1", amountCents: 12900, metadata: { a: 1 } });
    expect(document).toEqual({
      status: 200,
      body: { success: true, data: { transaction_token: "tok_1", amount_cents: 12900, metadata: { a: 1 } } },
    });
  });

  it.each(PAYMENT_KINDS)("%s with actionId: 202 with data.action_id", (kind) => {
    expect(documentOf(kind, { transactionToken: "tok_1", amountCents: 0, actionId: "act_9" })).toEqual({
      status: 202,
      body: { success: true, data: { transaction_token: "tok_1", amount_cents: 0, action_id: "act_9" } },
    });
  });

  it("customer token: data.customer_token", () => {
    expect(documentOf("payment-gateway/customer-token", { customerToken: "ct_1" })).toEqual({
      status: 200,
      body: { success: true, data: { customer_token: "ct_1" } },
    });
  });

  it("tax calculator: tax_rate, freight_taxable, line_items in snake_case", () => {
    const document = documentOf("tax-calculator", {
      taxRate: 0.22,
      freightTaxable: false,
      lineItems: [
        {
          id: "li_1",
          taxRate: 0.1,
          taxCollectable: 2.25,
          countryTaxCollectable: 1,
          countryTaxRate: 0.05,
          countryTaxableAmount: 20,
          specialTaxRate: 0,
          taxableAmount: 22.5,
        },
      ],
      metadata: { provider: "x" },
    });
    expect(document).toEqual({
      status: 200,
      body: {
        success: true,
        data: {
          tax_rate: 0.22,
          freight_taxable: false,
          line_items: [
            {
              id: "li_1",
              tax_rate: 0.1,
              tax_collectable: 2.25,
              country_tax_collectable: 1,
              country_tax_rate: 0.05,
              country_taxable_amount: 20,
              special_tax_rate: 0,
              taxable_amount: 22.5,
            },
          ],
          metadata: { provider: "x" },
        },
      },
    });
  });

  it("prices: sku_code, unit_amount_cents, compare_at_amount_cents, metadata", () => {
    expect(
      documentOf("prices", { skuCode: "SKU", unitAmountCents: 4900, compareAtAmountCents: 5900, metadata: {} }),
    ).toEqual({
      status: 200,
      body: {
        success: true,
        data: { sku_code: "SKU", unit_amount_cents: 4900, compare_at_amount_cents: 5900, metadata: {} },
      },
    });
  });

  it("shipping costs: the amount as shipping_amount_cents and amount_cents", () => {
    expect(documentOf("shipping-costs", { amountCents: 1090 })).toEqual({
      status: 200,
      body: { success: true, data: { shipping_amount_cents: 1090, amount_cents: 1090 } },
    });
  });

  it("order validation: an empty data, or its metadata", () => {
    expect(documentOf("order-validation", { valid: true })).toEqual({ status: 200, body: { success: true, data: {} } });
    expect(documentOf("order-validation", { valid: true, metadata: { checked: true } }).body).toEqual({
      success: true,
      data: { metadata: { checked: true } },
    });
  });

  it("promotion: name, discount_cents, per-line discounts", () => {
    expect(documentOf("promotion", { name: "P", discountCents: 1500, metadata: {} })).toEqual({
      status: 200,
      body: { success: true, data: { name: "P", discount_cents: 1500, metadata: {} } },
    });
    expect(
      documentOf("promotion", {
        name: "P",
        lineItems: [
          { id: "a", discountCents: 100 },
          { id: "b", discountCents: 0 },
        ],
      }).body,
    ).toEqual({
      success: true,
      data: {
        name: "P",
        line_items: [
          { id: "a", discount_cents: 100 },
          { id: "b", discount_cents: 0 },
        ],
      },
    });
  });
});

describe("failures", () => {
  it.each(EXTERNAL_KIND_NAMES)("%s: failure() defaults to 422 with error {code, message}", (kind) => {
    const document = documentOf(kind, failure("nope", "Not today"));
    expect(document.status).toBe(422);
    expect(document.body.success).toBe(false);
    expect(document.body.error).toEqual({ code: "nope", message: "Not today" });
    // A failure never carries the kind's success fields.
    expect(JSON.stringify(document.body)).not.toMatch(/transaction_token|amount_cents|tax_rate|sku_code/);
  });

  it("a failure without a status is 422", () => {
    expect(documentOf("prices", { failure: { code: "c", message: "m" } }).status).toBe(422);
  });

  it("any status from 400 to 599 is kept; others are invalid results", () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXTERNAL_KIND_NAMES), fc.integer({ min: 400, max: 599 }), (kind, status) => {
        expect(documentOf(kind, failure("c", "m", status)).status).toBe(status);
      }),
    );
    for (const status of [200, 202, 302, 399, 600, 422.5, Number.NaN])
      expect(() => documentOf("prices", failure("c", "m", status))).toThrow(InvalidResult);
  });

  it("a failure without a code, or with a non-string message, is an invalid result", () => {
    expect(() => documentOf("prices", { failure: { code: "", message: "m" } })).toThrow(InvalidResult);
    expect(() => documentOf("prices", { failure: { code: "c", message: 3 } })).toThrow(InvalidResult);
  });

  it.each([...PAYMENT_KINDS, "payment-gateway/customer-token" as const])(
    "%s: the error both at the top and in data.error",
    (kind) => {
      expect(documentOf(kind, failure("card_declined", "Declined", 402))).toEqual({
        status: 402,
        body: {
          success: false,
          error: { code: "card_declined", message: "Declined" },
          data: { error: { code: "card_declined", message: "Declined" } },
        },
      });
    },
  );

  it.each(["tax-calculator", "prices", "shipping-costs", "promotion"] as const)(
    "%s: the error at the top only",
    (kind) => {
      expect(documentOf(kind, failure("x", "y", 500)).body).toEqual({
        success: false,
        error: { code: "x", message: "y" },
      });
    },
  );

  it("order validation: messages per attribute in data, base for the order", () => {
    const document = documentOf(
      "order-validation",
      invalidOrder([
        { attribute: "customer_email", code: "blocked", message: "is blocked" },
        { attribute: "customer_email", message: "is not verified" },
        { message: "too many items" },
        { attribute: "base", message: "closed today" },
      ]),
    );
    expect(document).toEqual({
      status: 422,
      body: {
        success: false,
        error: { code: "blocked", message: "is blocked; is not verified; too many items; closed today" },
        data: { customer_email: ["is blocked", "is not verified"], base: ["too many items", "closed today"] },
      },
    });
  });

  it("order validation: invalidOrder([]) still refuses, with a message", () => {
    expect(documentOf("order-validation", invalidOrder([])).body).toEqual({
      success: false,
      error: { code: "invalid_order", message: "the order is not valid" },
      data: {},
    });
  });

  it("errorDocument without a kind (an unknown path): the error only", () => {
    expect(errorDocument(undefined, 404, "not_implemented", "m")).toEqual({
      status: 404,
      body: { success: false, error: { code: "not_implemented", message: "m" } },
    });
  });
});

// ---- properties ----

const cents = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const text = fc.string({ minLength: 1, maxLength: 12 });
const rate = fc
  .double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })
  .map((n) => (Object.is(n, -0) ? 0 : n));
// What JSON can carry: jsonValue may give -0, which JSON writes as 0 (a handler's -0 is sent as 0, as JSON.stringify does).
const metadata = fc.option(
  fc
    .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }))
    .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>),
  { nil: undefined },
);
const optionalOf = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** Drops undefined members, as a handler would leave them out. */
const defined = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));

const lineTax = fc
  .record({
    id: text,
    taxRate: optionalOf(rate),
    taxCollectable: optionalOf(rate),
    countryTaxCollectable: optionalOf(rate),
    countryTaxRate: optionalOf(rate),
    countryTaxableAmount: optionalOf(rate),
    specialTaxRate: optionalOf(rate),
    taxableAmount: optionalOf(rate),
  })
  .map(defined);

const VALID: Record<ExternalKind, fc.Arbitrary<Record<string, unknown>>> = {
  "payment-gateway/authorize": fc
    .record({ transactionToken: text, amountCents: cents, actionId: optionalOf(text), metadata })
    .map(defined),
  "payment-gateway/capture": fc.record({ transactionToken: text, amountCents: cents, metadata }).map(defined),
  "payment-gateway/void": fc.record({ transactionToken: text, amountCents: cents, metadata }).map(defined),
  "payment-gateway/refund": fc.record({ transactionToken: text, amountCents: cents, metadata }).map(defined),
  "payment-gateway/customer-token": fc.record({ customerToken: text, metadata }).map(defined),
  "tax-calculator": fc
    .record({
      taxRate: optionalOf(rate),
      lineItems: optionalOf(fc.array(lineTax, { maxLength: 4 })),
      freightTaxable: optionalOf(fc.boolean()),
      metadata,
    })
    .map(defined)
    .filter((result) => result.taxRate !== undefined || result.lineItems !== undefined),
  prices: fc
    .record({ skuCode: text, unitAmountCents: cents, compareAtAmountCents: optionalOf(cents), metadata })
    .map(defined),
  "shipping-costs": fc.record({ amountCents: cents, metadata }).map(defined),
  "order-validation": fc.record({ valid: fc.constant(true), metadata }).map(defined),
  promotion: fc
    .record({
      name: text,
      discountCents: optionalOf(cents),
      lineItems: optionalOf(
        fc.oneof(
          fc.array(fc.record({ id: text }), { maxLength: 3 }),
          fc.array(fc.record({ id: text, discountCents: cents }), { maxLength: 3 }),
        ),
      ),
      metadata,
    })
    .map(defined)
    .filter((result) => result.discountCents !== undefined || result.lineItems !== undefined),
};

/** The keys `data` may hold per kind, and per line item. */
const DATA_KEYS: Record<ExternalKind, readonly string[]> = {
  "payment-gateway/authorize": ["transaction_token", "amount_cents", "action_id", "metadata"],
  "payment-gateway/capture": ["transaction_token", "amount_cents", "metadata"],
  "payment-gateway/void": ["transaction_token", "amount_cents", "metadata"],
  "payment-gateway/refund": ["transaction_token", "amount_cents", "metadata"],
  "payment-gateway/customer-token": ["customer_token", "metadata"],
  "tax-calculator": ["tax_rate", "line_items", "freight_taxable", "metadata"],
  prices: ["sku_code", "unit_amount_cents", "compare_at_amount_cents", "metadata"],
  "shipping-costs": ["shipping_amount_cents", "amount_cents", "metadata"],
  "order-validation": ["metadata"],
  promotion: ["name", "discount_cents", "line_items", "metadata"],
};

const snakeKey = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
/** What the document's `data` should be for a valid result: its members, snake_cased, nothing else. */
function expectedData(kind: ExternalKind, result: Record<string, unknown>): Record<string, unknown> {
  if (kind === "shipping-costs")
    return defined({
      shipping_amount_cents: result.amountCents,
      amount_cents: result.amountCents,
      metadata: result.metadata,
    });
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result)) {
    if (name === "valid") continue;
    data[snakeKey(name)] =
      name === "lineItems"
        ? (value as Record<string, unknown>[]).map((line) =>
            Object.fromEntries(Object.entries(line).map(([key, member]) => [snakeKey(key), member])),
          )
        : value;
  }
  return data;
}

const ANY_VALID = fc.constantFrom(...EXTERNAL_KIND_NAMES).chain((kind) => fc.tuple(fc.constant(kind), VALID[kind]));

describe("property: every valid result serialises to the documented shape", () => {
  it("JSON round-trip equal, only the documented keys, numbers preserved, 200 or 202", () => {
    fc.assert(
      fc.property(ANY_VALID, ([kind, result]) => {
        const document = documentOf(kind, result);
        const pending = result.actionId !== undefined;
        expect(document.status).toBe(pending ? 202 : 200);
        expect(roundTrip(document.body)).toEqual(document.body);
        expect(Object.keys(document.body).sort()).toEqual(["data", "success"]);
        expect(document.body.success).toBe(true);
        const data = document.body.data as Record<string, unknown>;
        for (const key of Object.keys(data)) expect(DATA_KEYS[kind]).toContain(key);
        expect(data).toEqual(expectedData(kind, result));
        // Numbers are sent as they were given: the same value after the text Commerce Layer parses.
        const parsed = roundTrip(document.body).data;
        for (const key of [
          "amount_cents",
          "unit_amount_cents",
          "compare_at_amount_cents",
          "tax_rate",
          "discount_cents",
        ])
          if (key in data) expect(parsed[key]).toBe(data[key]);
      }),
      { numRuns: 500 },
    );
  });
});

/** Values that are not a whole number of cents, 0 or more. */
const notCents = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noNaN: false }).filter((n) => !Number.isSafeInteger(n) || n < 0),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 1, 0.5, "100", null, [], {}, true),
);
const notText = fc.constantFrom("", 0, 1, null, [], {}, false);
const notRate = fc.oneof(
  fc.double({ max: -Number.MIN_VALUE }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "0.22", null, [], {}, true),
);
const notObject = fc.constantFrom(null, undefined, "ok", 42, true, [], [{ valid: true }]);

/** Takes a valid result and spoils exactly one thing in it. */
function spoiled(kind: ExternalKind): fc.Arbitrary<unknown> {
  const valid = VALID[kind];
  const replace = (name: string, bad: fc.Arbitrary<unknown>) =>
    fc.tuple(valid, bad).map(([result, value]) => ({ ...result, [name]: value }));
  const drop = (name: string) =>
    valid.map((result) => {
      const { [name]: _, ...rest } = result;
      return rest;
    });
  const badMetadata = replace("metadata", fc.constantFrom(null, "m", 1, [], true));
  switch (kind) {
    case "payment-gateway/authorize":
    case "payment-gateway/capture":
    case "payment-gateway/void":
    case "payment-gateway/refund":
      return fc.oneof(
        replace("transactionToken", notText),
        replace("amountCents", notCents),
        drop("transactionToken"),
        drop("amountCents"),
        replace("actionId", notText),
        badMetadata,
      );
    case "payment-gateway/customer-token":
      return fc.oneof(replace("customerToken", notText), drop("customerToken"), badMetadata);
    case "tax-calculator":
      return fc.oneof(
        replace("taxRate", notRate),
        replace("lineItems", fc.constantFrom(null, "x", {}, 1)),
        replace("lineItems", fc.constantFrom([null], [{}], [{ id: "" }], [{ id: 1 }], ["li_1"])),
        replace(
          "lineItems",
          fc.tuple(text, notRate).map(([id, bad]) => [{ id, taxCollectable: bad }]),
        ),
        replace("freightTaxable", fc.constantFrom("true", 1, null)),
        fc.constant({ freightTaxable: true }),
        badMetadata,
      );
    case "prices":
      return fc.oneof(
        replace("skuCode", notText),
        replace("unitAmountCents", notCents),
        replace("compareAtAmountCents", notCents),
        drop("skuCode"),
        drop("unitAmountCents"),
        badMetadata,
      );
    case "shipping-costs":
      return fc.oneof(replace("amountCents", notCents), drop("amountCents"), badMetadata);
    case "order-validation":
      return fc.oneof(replace("valid", fc.constantFrom(false, "true", 1, null)), drop("valid"), badMetadata);
    case "promotion":
      return fc.oneof(
        replace("name", notText),
        drop("name"),
        replace("discountCents", notCents),
        replace("lineItems", fc.constantFrom(null, "x", {}, [null], [{}], [{ id: "" }])),
        replace(
          "lineItems",
          fc.tuple(text, notCents).map(([id, bad]) => [{ id, discountCents: bad }]),
        ),
        // Per-line discounts on some lines only.
        fc.tuple(text, cents).map(([name, amount]) => ({
          name,
          lineItems: [{ id: "a", discountCents: amount }, { id: "b" }],
        })),
        fc.constant({ name: "no discount given" }),
        badMetadata,
      );
  }
}

describe("property: every malformed result throws InvalidResult", () => {
  it.each(EXTERNAL_KIND_NAMES)("%s: one field spoilt", (kind) => {
    fc.assert(
      fc.property(spoiled(kind), (result) => {
        expect(() => documentOf(kind, result)).toThrow(InvalidResult);
      }),
      { numRuns: 200 },
    );
  });

  it("no result, arrays, null, strings, numbers: InvalidResult, never a success document", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EXTERNAL_KIND_NAMES),
        fc.oneof(notObject, fc.string(), fc.double()),
        (kind, bad) => {
          let document: unknown;
          try {
            document = documentOf(kind, bad);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidResult);
            return;
          }
          throw new Error(`a document for ${JSON.stringify(bad)}: ${JSON.stringify(document)}`);
        },
      ),
    );
  });

  it("random objects never yield a success document unless they are valid for the kind", () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXTERNAL_KIND_NAMES), fc.object({ maxDepth: 2 }), (kind, result) => {
        try {
          const document = documentOf(kind, result);
          // Then it was a failure or a valid result: a success document must hold only the kind's keys.
          if (document.body.success === true)
            for (const key of Object.keys(document.body.data as object)) expect(DATA_KEYS[kind]).toContain(key);
          else expect(document.status).toBeGreaterThanOrEqual(400);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidResult);
        }
      }),
    );
  });
});

describe("property: every malformed failure throws InvalidResult", () => {
  const badFailure = fc.oneof(
    fc.constantFrom(null, undefined, "declined", 422, [], true),
    fc.record({ code: notText, message: fc.string() }),
    fc.record({ code: text, message: fc.constantFrom(undefined, null, 1, {}, []) }),
    fc.record({
      code: text,
      message: fc.string(),
      errors: fc.constantFrom(
        5,
        "x",
        {},
        null,
        [null],
        ["is blocked"],
        [{}],
        [{ message: 3 }],
        [{ attribute: "", message: "m" }],
      ),
    }),
  );

  it("for every kind: InvalidResult, never a TypeError and never a document", () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXTERNAL_KIND_NAMES), badFailure, (kind, bad) => {
        expect(() => documentOf(kind, { failure: bad })).toThrow(InvalidResult);
      }),
      { numRuns: 300 },
    );
  });

  it("order validation: any attribute name is a key of data, `__proto__` included", () => {
    const document = documentOf("order-validation", invalidOrder([{ attribute: "__proto__", message: "odd" }]));
    expect(JSON.parse(JSON.stringify(document.body)).data).toEqual(JSON.parse('{"__proto__":["odd"]}'));
    expect(Object.keys(document.body.data as object)).toEqual(["__proto__"]);
  });
});

// An example of what a handler calls: a stand-in for your ERP's client, so that the example test
// (functions/handlers.test.ts) can show how to mock a dependency. Replace it with your own client.
export interface OrderForErp {
  readonly number: string | number | null | undefined;
  readonly lineItems: number;
}

export async function importOrder(order: OrderForErp): Promise<void> {
  console.log(JSON.stringify({ level: "info", msg: "example ERP: order imported", ...order }));
}

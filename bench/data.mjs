/**
 * Deterministic synthetic orders: the shape a data tool returns. 10,000 records by default,
 * 1,000 customers, 8 regions, one to three line items each (about 1.9 MB of JSON).
 */
export function makeOrders(count = 10_000, seed = 42) {
  let state = seed >>> 0;
  // mulberry32: a small, well-known seeded generator; enough for synthetic data.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(random() * list.length)];
  const regions = ["north", "south", "east", "west", "central", "emea", "apac", "latam"];
  const statuses = ["paid", "paid", "paid", "pending", "refunded"];
  const orders = [];
  for (let i = 0; i < count; i++) {
    const items = [];
    const lines = 1 + Math.floor(random() * 3);
    for (let j = 0; j < lines; j++) {
      items.push({
        sku: `SKU-${Math.floor(random() * 500)}`,
        qty: 1 + Math.floor(random() * 5),
        price: Math.round(random() * 10000) / 100,
      });
    }
    orders.push({
      id: i + 1,
      customer: `C${String(Math.floor(random() * 1000)).padStart(4, "0")}`,
      region: pick(regions),
      status: pick(statuses),
      amount: Math.round(random() * 50000) / 100,
      created: `2025-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}`,
      items,
    });
  }
  return orders;
}

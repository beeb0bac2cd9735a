/**
 * The in-memory store of the four benchmark subgraphs: a few users, a product catalogue and the
 * reviews linking them, in the proportions of the public federation gateway benchmark (short
 * lists, review bodies of a few hundred characters, so responses are some kilobytes).
 */
export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

export const users: User[] = [
  { id: '1', name: 'Ada Lovelace', username: 'ada', birthday: 1815 },
  { id: '2', name: 'Alan Turing', username: 'alan', birthday: 1912 },
  { id: '3', name: 'Grace Hopper', username: 'grace', birthday: 1906 },
  { id: '4', name: 'Edsger Dijkstra', username: 'edsger', birthday: 1930 },
];

export const products: Product[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Chair', price: 54, weight: 50 },
  { upc: '4', name: 'Lamp', price: 39, weight: 5 },
  { upc: '5', name: 'Bookshelf', price: 249, weight: 80 },
  { upc: '6', name: 'Rug', price: 129, weight: 12 },
];

export const inStock: Record<string, boolean> = { '1': true, '2': false, '3': true, '4': true, '5': false, '6': true };

const sentences = [
  'Arrived on time and well packed.',
  'Sturdier than the pictures suggest, and the finish is even.',
  'Assembly took an afternoon; the instructions skip a step or two.',
  'Good value for the price, though the colour is a shade darker than shown.',
  'After three months of daily use it still looks new.',
];

/** Three reviews per product but the last, each by a different user, bodies of 2 to 6 sentences. */
export const reviews: Review[] = products.slice(0, 5).flatMap((product, p) =>
  [0, 1, 2].map((r) => {
    const n = p * 3 + r;
    return {
      id: String(n + 1),
      body: Array.from({ length: 2 + (n % 5) }, (_, s) => sentences[(n + s) % sentences.length]).join(' '),
      authorId: users[n % users.length]!.id,
      productUpc: product.upc,
    };
  }),
);

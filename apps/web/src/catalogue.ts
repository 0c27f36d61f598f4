/** The shop's products: a fixed list, as the original system had no product service. */
export type Product = { id: number; name: string; description: string; price: number };

export const CATALOGUE: readonly Product[] = [
  { id: 1, name: 'TV', description: '55-inch 4K television', price: 1_200_000 },
  { id: 2, name: 'Refrigerator', description: 'Two-door, 600 litres', price: 1_800_000 },
  { id: 3, name: 'Rice cooker', description: 'Pressure cooker for 6', price: 230_000 },
  { id: 4, name: 'Headphones', description: 'Wireless, noise cancelling', price: 350_000 },
  { id: 5, name: 'Coffee beans', description: '1 kg, medium roast', price: 28_000 },
];
